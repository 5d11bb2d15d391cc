package dev.jgan.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * What the driver checks of a standalone master ({@code spark://HOST:PORT}, or several for a high-availability
 * pair) before it starts a Spark context, each said in one line: Spark itself retries an unreachable master for over
 * a minute before its stack traces, and waits forever for executors no worker has the cores for.
 */
final class StandaloneMaster {

    private StandaloneMaster() {}

    private record HostPort(String host, int port) {}

    private static List<HostPort> hosts(String master) {
        List<HostPort> out = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            int port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            out.add(new HostPort(colon < 0 ? hostPort : hostPort.substring(0, colon), port));
        }
        return out;
    }

    /** Why {@code master} cannot be the master, or null when one answers (or it is not a standalone master). */
    static String unreachable(String master) {
        if (!master.startsWith("spark://")) {
            return null;
        }
        List<HostPort> hosts;
        try {
            hosts = hosts(master);
        } catch (NumberFormatException e) {
            return "--master " + master + ": expected spark://HOST:PORT";
        }
        List<String> tried = new ArrayList<>();
        for (HostPort h : hosts) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(h.host(), h.port()), 5000);
                return null;
            } catch (IOException | IllegalArgumentException e) {
                tried.add(h.host() + ":" + h.port() + " (" + e.getMessage() + ")");
            }
        }
        return "--master " + master + ": no Spark master answers at " + String.join(", ", tried)
                + "; start it, or check the host and port";
    }

    /**
     * Why no executor of {@code conf} could ever start (it asks for more cores than any live worker of the master
     * has, per the master's status page at {@code spark.master.ui.port}, default 8080), or null when one can or the
     * page does not answer.
     */
    static String executorsCannotStart(SparkConf conf) {
        String master = conf.get("spark.master", "");
        int cores = conf.getInt("spark.executor.cores", 0);
        if (!master.startsWith("spark://") || cores <= 0) {
            return null;
        }
        int uiPort = conf.getInt("spark.master.ui.port", 8080);
        for (HostPort h : hosts(master)) {
            JsonNode status = status(h.host(), uiPort);
            if (status == null || !"ALIVE".equals(status.path("status").asText())) {
                continue;
            }
            int largest = 0;
            int alive = 0;
            for (JsonNode w : status.path("workers")) {
                if ("ALIVE".equals(w.path("state").asText())) {
                    largest = Math.max(largest, w.path("cores").asInt());
                    alive++;
                }
            }
            if (alive > 0 && largest < cores) {
                return "spark.executor.cores " + cores + " (--executor-cores): no worker of " + master + " has "
                        + cores + " cores (the largest of its " + alive + " has " + largest + "), so no executor "
                        + "would ever start; ask for at most " + largest;
            }
            return null;
        }
        return null;
    }

    private static JsonNode status(String host, int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + "/json/").toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                return new ObjectMapper().readTree(in);
            } finally {
                c.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
