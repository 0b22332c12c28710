package org.smtstream.ingest.source;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * A camera feed on loopback, as many IP cameras serve one: HTTP with
 * {@code multipart/x-mixed-replace}, one JPEG per part, at a fixed rate, for as long as the client
 * reads. {@link #goAway()} cuts every connection and closes the listening socket, so new
 * connections are refused, until {@link #comeBack()} listens on the same port again.
 */
public final class MjpegServer implements AutoCloseable {

    private static final String BOUNDARY = "smtframe";
    private static final int DISTINCT_FRAMES = 8;

    private final List<byte[]> jpegs = new ArrayList<>();
    private final long periodNanos;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final int port;
    private volatile ServerSocket listener;

    /** Starts serving {@code fps} frames a second of {@code width} x {@code height} on a free port. */
    public MjpegServer(int width, int height, double fps) throws IOException {
        for (int i = 0; i < DISTINCT_FRAMES; i++) {
            jpegs.add(jpeg(width, height, i));
        }
        this.periodNanos = Math.round(1e9 / fps);
        this.listener = listen(0);
        this.port = listener.getLocalPort();
    }

    /** The feed's URL. */
    public String url() {
        return "http://127.0.0.1:" + port + "/video.mjpg";
    }

    /** JPEG parts written so far, over all connections. */
    public long framesSent() {
        return framesSent.get();
    }

    /** Connections accepted so far. */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Cuts every open connection and stops listening: connecting is refused from now on. */
    public void goAway() throws IOException {
        listener.close();
        for (Socket s : connections) {
            s.close();
        }
    }

    /** Listens on the same port again. */
    public void comeBack() throws IOException {
        listener = listen(port);
    }

    @Override
    public void close() throws IOException {
        goAway();
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
        Thread acceptor = new Thread(() -> acceptAll(socket), "mjpeg-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private void acceptAll(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.add(client);
                connectionsAccepted.incrementAndGet();
                Thread writer = new Thread(() -> serve(client), "mjpeg-serve");
                writer.setDaemon(true);
                writer.start();
            } catch (IOException e) {
                return; // closed by goAway()
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.getInputStream().read(new byte[4096]); // the request; its content does not matter
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + BOUNDARY
                    + "\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long next = System.nanoTime();
            for (int i = 0; ; i++) {
                byte[] jpeg = jpegs.get(i % DISTINCT_FRAMES);
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                framesSent.incrementAndGet();
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client left or goAway() cut the connection.
        } finally {
            connections.remove(client);
        }
    }

    /** A moving gradient with a bar, different in each of the distinct frames. */
    private static byte[] jpeg(int width, int height, int index) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < width; x++) {
            g.setColor(new Color((x * 255 / width + 30 * index) & 0xFF, 128, 255 - x * 255 / width));
            g.drawLine(x, 0, x, height - 1);
        }
        g.setColor(Color.WHITE);
        g.fillRect(index * width / DISTINCT_FRAMES, 0, width / DISTINCT_FRAMES, height);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
