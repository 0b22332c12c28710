/**
 * Sparse coding: the batched positive weighted lasso ({@link org.smtstream.processor.math.coding.LassoOperator})
 * and its solver ({@link org.smtstream.processor.math.coding.SparseCoder}, thesis eq. 2.4), the dictionary
 * Phi ({@link org.smtstream.processor.math.coding.Dictionary}) and its online update
 * ({@link org.smtstream.processor.math.coding.DictionaryLearner}).
 */
package org.smtstream.processor.math.coding;
