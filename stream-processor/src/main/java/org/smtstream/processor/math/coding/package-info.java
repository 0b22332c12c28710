/**
 * Sparse coding: the batched positive weighted lasso, as an explicit operator
 * ({@link org.smtstream.processor.math.coding.LassoOperator}) solved by dense FISTA/ISTA
 * ({@link org.smtstream.processor.math.coding.SparseCoder}, thesis eq. 2.4), and in quadratic form with a
 * Gram matrix cached per model version ({@link org.smtstream.processor.math.coding.GramLasso}) solved by
 * the working-set solver that stops on the duality gap
 * ({@link org.smtstream.processor.math.coding.ActiveSetSolver}); plain coding under a dictionary with
 * either ({@link org.smtstream.processor.math.coding.PatchCoder}); the dictionary Phi
 * ({@link org.smtstream.processor.math.coding.Dictionary}) and its online update
 * ({@link org.smtstream.processor.math.coding.DictionaryLearner}).
 */
package org.smtstream.processor.math.coding;
