package org.smtstream.model.store;

/**
 * A stored or transmitted model that cannot be read: bad magic, unknown format version, checksum
 * mismatch, wrong shape, truncation. The message names what is wrong and where.
 */
public class ModelFormatException extends IllegalArgumentException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
