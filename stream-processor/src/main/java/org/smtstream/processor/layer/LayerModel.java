package org.smtstream.processor.layer;

import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.embedding.Embedding;

/**
 * The parts of a model version that inference needs, as ND4J arrays: the dictionary Phi and, once
 * one has been learned, the embedding P. Inference copies published versions into one of these per
 * stream thread (ND4J arrays are not shared between threads, ARCHITECTURE.md, trap T2).
 *
 * @param version   the model version these arrays belong to
 * @param dictionary Phi, n x N
 * @param embedding  P, f x N, or null before the learner has published one
 */
public record LayerModel(long version, Dictionary dictionary, Embedding embedding) {

    /** A fresh copy of a published model. */
    public static LayerModel of(SmtModel model) {
        return new LayerModel(model.version(), Dictionary.fromMatrix(model.phi(), model.version()),
                model.p() == null ? null : Embedding.fromMatrix(model.p(), model.version()));
    }

    /** Version 0 of a configuration: the seeded random dictionary every instance derives alike. */
    public static LayerModel initial(SmtConfig config) {
        return new LayerModel(0, Dictionary.random(config.patchDim(), config.dictionarySize(), config.randomSeed()),
                null);
    }
}
