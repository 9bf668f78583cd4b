package io.ipdm.lakes.replication;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.replication.BlockMessage.Kind;
import io.ipdm.lakes.replication.BlockMessage.Request;
import io.ipdm.lakes.replication.BlockMessage.Response;
import io.ipdm.lakes.replication.BlockMessage.Status;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.reqresp.RequestResponse;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Block exchange between storage nodes over the mesh's request/response protocol {@value
 * #PROTOCOL}: WANT a CID and get its bytes, PUT a block (optionally pinned) for replication, ask
 * whether a peer HAS a block. Every block crossing the wire is verified against its CID by the
 * receiver, so a peer can withhold data but never substitute it. Served requests run on a small
 * pool, off the mesh event loop (store writes sync to disk). The client methods block; do not call
 * them on the event loop.
 */
public final class BlockExchange implements AutoCloseable {
    public static final String PROTOCOL = "/ipdm/lakes/block/1.0.0";

    /** Largest message: a 2 MiB block (IPFS's hard limit is 2 MiB) plus framing. */
    static final int MAX_MESSAGE = (2 << 20) + 1024;

    private final TieredStore store;
    private final Duration timeout;
    private final ExecutorService pool;

    private BlockExchange(TieredStore store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
        this.pool =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "ipdm-lakes-exchange");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Serves {@code store} on {@code host} and returns the client side. */
    public static BlockExchange serve(TieredStore store, Host host, Duration timeout) {
        BlockExchange x = new BlockExchange(store, timeout);
        RequestResponse.serve(
                host,
                PROTOCOL,
                MAX_MESSAGE,
                req -> CompletableFuture.supplyAsync(() -> x.answer(req).encode(), x.pool));
        return x;
    }

    private Response answer(byte[] msg) {
        Request req;
        try {
            req = Request.decode(msg);
        } catch (RuntimeException e) {
            return new Response(Status.REJECTED, null, e.getMessage());
        }
        return switch (req.kind()) {
            case WANT -> {
                Block b = store.get(req.cid());
                yield b == null
                        ? new Response(Status.NOT_FOUND, null, null)
                        : new Response(Status.OK, b.data(), null);
            }
            case HAVE ->
                    new Response(store.has(req.cid()) ? Status.OK : Status.NOT_FOUND, null, null);
            case PUT -> {
                if (req.data() == null || !req.cid().verifies(req.data())) {
                    yield new Response(
                            Status.REJECTED,
                            null,
                            "block data does not match " + req.cid() + "; not stored");
                }
                store.put(new Block(req.cid(), req.data()));
                if (req.pin()) {
                    store.pin(req.cid());
                }
                yield new Response(Status.OK, null, null);
            }
        };
    }

    /** The block from {@code peer}, verified; null when the peer does not have it. */
    public Block want(Connection peer, Cid cid) {
        Response r = call(peer, new Request(Kind.WANT, cid, null, false));
        if (r.status() == Status.NOT_FOUND) {
            return null;
        }
        if (r.status() != Status.OK || r.data() == null || !cid.verifies(r.data())) {
            throw new LakesException(
                    "peer "
                            + peer.remotePeer()
                            + " answered WANT "
                            + cid
                            + " with data that does not match the CID; discarded");
        }
        return new Block(cid, r.data());
    }

    /** Stores {@code block} on {@code peer} (pinned there if {@code pin}). */
    public void put(Connection peer, Block block, boolean pin) {
        Response r = call(peer, new Request(Kind.PUT, block.cid(), block.data(), pin));
        if (r.status() != Status.OK) {
            throw new LakesException(
                    "peer " + peer.remotePeer() + " refused " + block.cid() + ": " + r.reason());
        }
    }

    public boolean has(Connection peer, Cid cid) {
        return call(peer, new Request(Kind.HAVE, cid, null, false)).status() == Status.OK;
    }

    private Response call(Connection peer, Request req) {
        try {
            byte[] resp =
                    RequestResponse.request(peer, PROTOCOL, req.encode(), MAX_MESSAGE, timeout)
                            .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return Response.decode(resp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LakesException("interrupted while asking " + peer.remotePeer(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            throw new LakesException(
                    req.kind()
                            + " "
                            + req.cid()
                            + " to "
                            + peer.remotePeer()
                            + " failed: "
                            + c.getMessage(),
                    c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
