package org.smtstream.web;

import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The atoms one picture of the dictionary shows: {@code count} consecutive atoms from {@code first},
 * a page of {@code size} atoms (the last page of a dictionary may hold fewer). Asked for as
 * {@code ?page=P[&size=S]} (atoms P S to P S + S - 1) or {@code ?offset=J[&size=S]} (from atom J), so
 * every atom of the largest preset can be reached a page at a time.
 *
 * @param first first atom shown
 * @param count atoms shown
 * @param size  atoms per page
 * @param total atoms in the dictionary
 */
record AtomPage(int first, int count, int size, int total) {

    static final int DEFAULT_SIZE = 256;
    /** Largest page: the whole {@code fast} dictionary; a page of the {@code seed} one stays a small picture. */
    static final int MAX_SIZE = 1024;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,9}");

    /** A request the dictionary cannot answer; the message says what was wrong. */
    static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Reads a request's parameters, each null when absent.
     *
     * @throws Invalid when a parameter is not a whole number, out of range, or both page and offset are given
     */
    static AtomPage of(String page, String offset, String size, int total) {
        if (page != null && offset != null) {
            throw new Invalid("Give page or offset, not both (page=" + page + ", offset=" + offset + ")");
        }
        int perPage = size == null ? DEFAULT_SIZE : number("size", size);
        if (perPage < 1 || perPage > MAX_SIZE) {
            throw new Invalid("size must be between 1 and " + MAX_SIZE + " atoms, got " + perPage);
        }
        int pages = (total + perPage - 1) / perPage;
        int first;
        if (offset != null) {
            first = number("offset", offset);
            if (first < 0 || first >= total) {
                throw new Invalid("offset " + first + " is not an atom: the dictionary has atoms 0 to " + (total - 1));
            }
        } else {
            int index = page == null ? 0 : number("page", page);
            if (index < 0 || index >= pages) {
                throw new Invalid("page " + index + " does not exist: " + total + " atoms in pages of " + perPage
                        + " are pages 0 to " + (pages - 1));
            }
            first = index * perPage;
        }
        return new AtomPage(first, Math.min(perPage, total - first), perPage, total);
    }

    private static int number(String name, String value) {
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw new Invalid(name + " must be a whole number, got '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    /**
     * A whole-number parameter in [min, max].
     *
     * @throws Invalid naming the parameter, what it must be and what it was
     */
    static int number(String name, String value, int min, int max) {
        int v = number(name, value);
        if (v < min || v > max) {
            throw new Invalid(name + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** The atoms shown, in order. */
    int[] atoms() {
        return IntStream.range(first, first + count).toArray();
    }

    /** Tiles per row: about as many as rows, so that a full page is square. */
    int columns() {
        return (int) Math.ceil(Math.sqrt(size));
    }

    /** Pages of the dictionary at this size. */
    int pages() {
        return (total + size - 1) / size;
    }

    /** The page holding {@link #first}. */
    int page() {
        return first / size;
    }
}
