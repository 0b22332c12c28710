package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebOptionsTest {

    @Test
    void shouldDefaultToLoopbackWithoutToken() {
        WebOptions options = new WebOptions(null, 8080, null);

        assertEquals("127.0.0.1", options.host());
        assertFalse(options.requiresToken());
    }

    @Test
    void shouldAllowLocalhostAndIpv6LoopbackWithoutToken() {
        assertEquals("localhost", new WebOptions("localhost", 0, null).host());
        assertEquals("::1", new WebOptions("::1", 0, null).host());
    }

    @Test
    void shouldRejectNonLoopbackBindWithoutToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WebOptions("0.0.0.0", 8080, null));

        assertTrue(e.getMessage().contains("Refusing to bind the web view to 0.0.0.0 without a token"), e.getMessage());
    }

    @Test
    void shouldTreatBlankTokenAsNone() {
        assertNull(new WebOptions("127.0.0.1", 0, "  ").token());
        assertThrows(IllegalArgumentException.class, () -> new WebOptions("0.0.0.0", 0, " "));
    }

    @Test
    void shouldAcceptNonLoopbackBindWithToken() {
        WebOptions options = new WebOptions("0.0.0.0", 8080, "s3cret");

        assertTrue(options.requiresToken());
    }

    @Test
    void shouldRejectInvalidPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WebOptions("127.0.0.1", 70000, null));

        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void shouldNotPrintToken() {
        String text = new WebOptions("0.0.0.0", 8080, "s3cret").toString();

        assertFalse(text.contains("s3cret"), text);
    }
}
