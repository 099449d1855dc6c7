// SPDX-License-Identifier: Apache-2.0
// The event-driven HTTP server: an acceptor, one strand per connection on a small io_context
// pool, a WorkerPool for everything that may block. See httpserver.h and ../ARCHITECTURE.md.
#include "httpserver.h"

#include "connectionlimiter.h"
#include "httproutes.h"
#include "streamchannel.h"
#include "urlcoding.h"
#include "workerpool.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <limits>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace kerbside::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::size_t kHeaderLimit = 32 * 1024;
constexpr std::size_t kLingerBytes = 4 << 20; // read and dropped after a refusal, so the client sees it

std::string cleanHeaderValue(std::string v)
{
    // A value with a line break would inject headers: flatten it.
    for (char &c : v) {
        if (c == '\r' || c == '\n')
            c = ' ';
    }
    return v;
}

bool needsLength(const std::string &method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

struct HttpServer::Private
{
    HttpServerOptions options;
    LogSink log;
    Router router;
    ScreenHook screen;
    std::function<void(const HttpRequest &, HttpResponse &)> responseHook;
    std::string busyResponse; // the canned 503, with the response hook's headers (run())
    ConnectionLimiter limiter;
    std::unique_ptr<WorkerPool> workers;
    std::optional<ssl::context> tlsContext;
    int port = 0;
    std::atomic<bool> stopping{false};
    std::mutex busyMutex;
    std::condition_variable busyDone;
    int busy = 0; // requests between head and last byte written
    std::mutex streamsMutex;
    std::set<std::shared_ptr<StreamChannelState>> streams; // open streamed responses, closed at stop()
    // Declared last: destroyed first, with the handlers (and connections) it still holds.
    net::io_context io;
    tcp::acceptor acceptor{net::make_strand(io)}; // its own strand: stop() closes it from another thread
    std::optional<net::steady_timer> acceptRetry;

    Private(HttpServerOptions o, LogSink l)
        : options(std::move(o)), log(std::move(l)), limiter(options.maxConnectionsPerAddress), io(std::max(1, options.ioThreads)) {}

    void accept();
    void refuseBusy(tcp::socket socket, const std::string &peer);
    std::string cannedBusy() const;
    void requestStarted()
    {
        std::lock_guard lock(busyMutex);
        ++busy;
    }
    void requestEnded()
    {
        std::lock_guard lock(busyMutex);
        if (--busy == 0)
            busyDone.notify_all();
    }
    void emit(const ExchangeRecord &r)
    {
        if (log)
            log(r);
    }
    std::chrono::milliseconds transferDeadline(std::uint64_t bytes) const
    {
        return options.bodyDeadline + std::chrono::milliseconds(bytes * 1000 / std::max<std::uint64_t>(1, options.minBodyRate));
    }
    HttpResponse refusal(int status, const std::string &kind, const std::string &message) const
    {
        HttpResponse r = HttpResponse::text(status, message + "\n");
        if (!options.errorHeader.empty())
            r.headers.set(options.errorHeader, kind);
        return r;
    }
};

namespace {

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>>
{
public:
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

    template <class... Args>
    Connection(HttpServer::Private &server, std::unique_ptr<ConnectionLimiter::Slot> slot, std::string peer, Args &&...args)
        : m_server(server), m_slot(std::move(slot)), m_stream(std::forward<Args>(args)...), m_peer(std::move(peer)) {}

    void start()
    {
        if constexpr (kTls) {
            lowest().expires_after(m_server.options.headDeadline);
            m_stream.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (!ec)
                    self->waitForRequest();
            });
        } else {
            waitForRequest();
        }
    }

private:
    beast::tcp_stream &lowest() { return beast::get_lowest_layer(m_stream); }

    // Idle until the first byte of the next request; the head deadline starts then.
    void waitForRequest()
    {
        if (m_server.stopping)
            return hangUp();
        if (m_buffer.size() > 0)
            return readHead();
        lowest().expires_after(m_server.options.idleTimeout);
        m_stream.async_read_some(m_buffer.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec)
                return; // idle timeout or the client left: the socket closes with us
            self->m_buffer.commit(n);
            self->readHead();
        });
    }

    void readHead()
    {
        m_request = HttpRequest{};
        m_request.peerAddress = m_peer;
        m_request.tls = kTls;
        m_response = HttpResponse{};
        m_route = nullptr;
        m_bytesOut = 0;
        m_start = std::chrono::steady_clock::now();
        m_parser.emplace();
        m_parser->header_limit(kHeaderLimit);
        // Checked against the route's own limit after the head (boost::none would misbehave in 1.74).
        m_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
        lowest().expires_after(m_server.options.headDeadline);
        bhttp::async_read_header(m_stream, m_buffer, *m_parser,
                                 [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onHead(ec); });
    }

    void onHead(beast::error_code ec)
    {
        if (ec == beast::error::timeout)
            return drop("head-timeout");
        if (ec == bhttp::error::header_limit)
            return refuseNow(431, "headers-too-large", "request headers over 32 KiB");
        if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset
            || ec == net::error::operation_aborted)
            return;
        if (ec)
            return refuseNow(400, "malformed", "not an HTTP/1.1 request");

        const auto &msg = m_parser->get();
        m_request.method = std::string(msg.method_string());
        m_request.target = std::string(msg.target());
        for (const auto &f : msg)
            m_request.headers.add(std::string(f.name_string()), std::string(f.value()));
        const std::string_view target(msg.target().data(), msg.target().size());
        const std::size_t q = target.find('?');
        const std::optional<std::string> path = percentDecode(target.substr(0, q), false);
        if (q != std::string_view::npos)
            m_request.query = std::string(target.substr(q + 1));
        if (!path || path->empty() || path->front() != '/')
            return refuseNow(400, "malformed", "bad request target");
        m_request.path = *path;
        if (msg.has_content_length())
            m_request.contentLength = m_parser->content_length().value_or(0);

        m_server.requestStarted();
        m_counted = true;
        bool otherMethod = false;
        m_route = m_server.router.match(m_request, &otherMethod);
        if (!m_route) {
            return otherMethod ? refuse(m_server.refusal(405, "method-not-allowed", "method not allowed here"))
                               : refuse(m_server.refusal(404, "not-found", "no such resource"));
        }
        const std::uint64_t limit = m_route->options.bodyLimit.value_or(m_server.options.defaultBodyLimit);
        if (msg.chunked())
            return refuse(m_server.refusal(411, "length-required", "send the body with a Content-Length"));
        if (m_request.contentLength) {
            if (*m_request.contentLength > limit)
                return refuse(m_server.refusal(413, "too-large",
                                               "body of " + std::to_string(*m_request.contentLength)
                                                   + " bytes is over this endpoint's limit of " + std::to_string(limit) + " bytes"));
        } else if (needsLength(m_request.method)) {
            return refuse(m_server.refusal(411, "length-required", "send the body with a Content-Length"));
        }
        m_parser->body_limit(limit);

        // Screening may look up a token in the database: on a worker, never on an I/O thread.
        m_server.workers->post([self = this->shared_from_this()] {
            std::optional<HttpResponse> refused;
            try {
                if (self->m_server.screen)
                    refused = self->m_server.screen(self->m_request);
                if (!refused && self->m_route->options.screen)
                    refused = self->m_route->options.screen(self->m_request);
            } catch (const std::exception &) {
                refused = self->m_server.refusal(500, "internal", "internal error; nothing was stored");
            }
            net::post(self->m_stream.get_executor(), [self, refused = std::move(refused)]() mutable {
                if (refused)
                    return self->refuse(std::move(*refused));
                self->readBody();
            });
        });
    }

    void readBody()
    {
        if (m_parser->is_done())
            return dispatch();
        if (equalsIgnoringCase(m_request.header("Expect"), "100-continue")) {
            // Only now, after screening: a refused upload is never sent.
            static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            lowest().expires_after(m_server.options.bodyDeadline);
            net::async_write(m_stream, net::buffer(kContinue), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->drop("write-failed");
                self->readBodyNow();
            });
            return;
        }
        readBodyNow();
    }

    void readBodyNow()
    {
        lowest().expires_after(m_server.transferDeadline(m_request.contentLength.value_or(0)));
        bhttp::async_read(m_stream, m_buffer, *m_parser, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec == beast::error::timeout)
                return self->drop("body-timeout");
            if (ec == bhttp::error::body_limit)
                return self->refuse(self->m_server.refusal(413, "too-large", "body over this endpoint's limit"));
            if (ec)
                return self->drop("body-incomplete");
            self->m_request.body = std::move(self->m_parser->get().body());
            self->dispatch();
        });
    }

    void dispatch()
    {
        m_server.workers->post([self = this->shared_from_this()] {
            HttpResponse response;
            try {
                response = self->m_route->handler(self->m_request);
            } catch (const std::exception &) {
                response = self->m_server.refusal(500, "internal", "internal error; nothing was stored");
            }
            net::post(self->m_stream.get_executor(),
                      [self, response = std::move(response)]() mutable { self->respond(std::move(response)); });
        });
    }

    // A refusal before the body was read: answer, and hang up if a body is still coming.
    void refuse(HttpResponse response)
    {
        if (!m_parser->is_done())
            response.closeConnection = true;
        respond(std::move(response));
    }

    // A refusal before any route was found (bad head): answer and hang up.
    void refuseNow(int status, const std::string &kind, const std::string &message)
    {
        m_server.requestStarted();
        m_counted = true;
        HttpResponse r = m_server.refusal(status, kind, message);
        r.closeConnection = true;
        respond(std::move(r));
    }

    void respond(HttpResponse response)
    {
        if (m_server.responseHook)
            m_server.responseHook(m_request, response);
        m_response = std::move(response);
        const bool keepAlive = !m_response.closeConnection && !m_response.stream && !m_server.stopping && m_parser
                               && m_parser->is_header_done() && m_parser->get().keep_alive();
        if (m_response.stream)
            return startStream();
        auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status(m_response.status), 11);
        for (const auto &[name, value] : m_response.headers.fields())
            msg->insert(name, cleanHeaderValue(value));
        msg->body() = std::move(m_response.body);
        msg->prepare_payload();
        msg->keep_alive(keepAlive);
        m_bytesOut = msg->body().size();
        lowest().expires_after(m_server.transferDeadline(m_bytesOut));
        bhttp::async_write(m_stream, *msg, [self = this->shared_from_this(), msg, keepAlive](beast::error_code ec, std::size_t) {
            self->finishExchange(ec ? "write-failed" : "");
            if (ec)
                return;
            if (keepAlive)
                return self->waitForRequest();
            self->hangUp();
        });
    }

    void startStream()
    {
        auto head = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status(m_response.status), 11);
        for (const auto &[name, value] : m_response.headers.fields())
            head->insert(name, cleanHeaderValue(value));
        head->chunked(true);
        head->keep_alive(false);
        auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
        lowest().expires_after(m_server.options.bodyDeadline);
        bhttp::async_write_header(m_stream, *serializer, [self = this->shared_from_this(), head, serializer](beast::error_code ec, std::size_t) {
            if (ec) {
                self->finishExchange("write-failed");
                return;
            }
            self->m_channel = std::make_shared<StreamChannelState>([weak = self->weak_from_this()] {
                if (auto s = weak.lock())
                    net::post(s->m_stream.get_executor(), [s] { s->pump(); });
            });
            // The channel keeps the connection alive while it is open (an SSE stream may wait
            // with no operation under way); finishStream() breaks the cycle.
            self->m_channelKeepAlive = self;
            {
                std::lock_guard lock(self->m_server.streamsMutex);
                self->m_server.streams.insert(self->m_channel);
            }
            std::shared_ptr<StreamChannel> handle = makeStreamHandle(self->m_channel);
            StreamProvider provider = std::move(self->m_response.stream);
            self->m_server.workers->post([provider = std::move(provider), handle = std::move(handle)]() mutable {
                try {
                    provider(std::move(handle));
                } catch (const std::exception &) {
                    // The handle is dropped: the stream ends where it got to.
                }
            });
        });
    }

    // On the strand: sends what the channel holds, one write at a time.
    void pump()
    {
        if (!m_channel || m_writing)
            return;
        std::string chunk;
        const StreamChannelState::Next next = m_channel->takeQueued(&chunk);
        if (next == StreamChannelState::Next::Wait)
            return;
        m_writing = true;
        if (next == StreamChannelState::Next::Finish) {
            lowest().expires_after(m_server.options.bodyDeadline);
            net::async_write(m_stream, bhttp::make_chunk_last(), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                self->m_writing = false;
                self->finishStream(ec ? "write-failed" : "");
            });
            return;
        }
        auto data = std::make_shared<std::string>(std::move(chunk));
        lowest().expires_after(m_server.transferDeadline(data->size()));
        net::async_write(m_stream, bhttp::make_chunk(net::buffer(*data)), [self = this->shared_from_this(), data](beast::error_code ec, std::size_t) {
            self->m_writing = false;
            self->m_bytesOut += data->size();
            self->m_channel->sent(data->size(), !ec);
            if (ec)
                return self->finishStream(ec == beast::error::timeout ? "write-timeout" : "client-gone");
            self->pump();
        });
    }

    void finishStream(const std::string &dropped)
    {
        if (!m_channel)
            return;
        m_channel->sent(0, false);
        {
            std::lock_guard lock(m_server.streamsMutex);
            m_server.streams.erase(m_channel);
        }
        m_channel.reset();
        finishExchange(dropped);
        hangUp();
        m_channelKeepAlive.reset(); // may destroy this
    }

    void finishExchange(const std::string &dropped)
    {
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
        m_server.emit(ExchangeRecord{m_request, m_response, m_request.body.size(), m_bytesOut, ms, dropped});
        if (m_counted) {
            m_counted = false;
            m_server.requestEnded();
        }
    }

    // Dropped without an answer (a deadline passed, the client vanished mid-body).
    void drop(const std::string &why)
    {
        m_response.status = 0;
        finishExchange(why);
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
    }

    // Our side is done: send FIN, then read and drop what the client still sends for a moment
    // (a refused body), so that closing does not reset the connection before it read the answer.
    void hangUp()
    {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_lingered = 0;
        lowest().expires_after(std::chrono::seconds(2));
        linger();
    }

    void linger()
    {
        m_buffer.clear();
        lowest().async_read_some(m_buffer.prepare(16384), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->m_lingered += n;
            if (ec || self->m_lingered > kLingerBytes)
                return self->lowest().close();
            self->linger();
        });
    }

    HttpServer::Private &m_server;
    std::unique_ptr<ConnectionLimiter::Slot> m_slot;
    Stream m_stream;
    std::string m_peer;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    HttpRequest m_request;
    HttpResponse m_response;
    const CompiledRoute *m_route = nullptr;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::uint64_t m_bytesOut = 0;
    std::size_t m_lingered = 0;
    bool m_counted = false;
    bool m_writing = false;
    std::shared_ptr<StreamChannelState> m_channel;
    std::shared_ptr<Connection> m_channelKeepAlive;
};

} // namespace

// The 503 written by refuseBusy(), made once before serving: the response hook (security
// headers, say) runs on it like on every other answer, but not on the accepting thread.
std::string HttpServer::Private::cannedBusy() const
{
    HttpResponse r;
    r.status = 503;
    r.body = "too many connections from this address\r\n";
    r.headers.set("Content-Type", "text/plain; charset=utf-8");
    r.headers.set("Retry-After", "5");
    if (!options.errorHeader.empty())
        r.headers.set(options.errorHeader, "too-many-connections");
    if (responseHook)
        responseHook(HttpRequest{}, r);
    r.headers.set("Connection", "close");
    r.headers.set("Content-Length", std::to_string(r.body.size()));
    std::string out = "HTTP/1.1 503 Service Unavailable\r\n";
    for (const auto &[name, value] : r.headers.fields())
        out += name + ": " + value + "\r\n";
    return out + "\r\n" + r.body;
}

void HttpServer::Private::refuseBusy(tcp::socket socket, const std::string &peer)
{
    // Over the per-address limit: a canned 503 written without waiting (a fresh socket's send
    // buffer takes it whole), then close. TLS clients just see the connection closed.
    beast::error_code ec;
    socket.non_blocking(true, ec);
    if (!tlsContext)
        socket.write_some(net::buffer(busyResponse), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    HttpRequest request;
    request.peerAddress = peer;
    HttpResponse response;
    response.status = 503;
    if (!options.errorHeader.empty())
        response.headers.set(options.errorHeader, "too-many-connections");
    emit(ExchangeRecord{request, response, 0, 0, 0.0, ""});
}

void HttpServer::Private::accept()
{
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping || !acceptor.is_open())
            return;
        if (ec) {
            // Out of descriptors, say: try again shortly rather than spin.
            acceptRetry.emplace(acceptor.get_executor(), std::chrono::milliseconds(100));
            acceptRetry->async_wait([this](beast::error_code) { accept(); });
            return;
        }
        beast::error_code ignored;
        const tcp::endpoint remote = socket.remote_endpoint(ignored);
        std::string peer = remote.address().is_v6() && remote.address().to_v6().is_v4_mapped()
                               ? net::ip::make_address_v4(net::ip::v4_mapped, remote.address().to_v6()).to_string()
                               : remote.address().to_string();
        // Headers and body may go out in separate writes: with Nagle's algorithm the second
        // would wait for the peer's delayed ACK (~40 ms per request on Linux).
        socket.set_option(tcp::no_delay(true), ignored);
        std::unique_ptr<ConnectionLimiter::Slot> slot = limiter.acquire(peer);
        if (!slot) {
            refuseBusy(std::move(socket), peer);
        } else if (tlsContext) {
            std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(slot), std::move(peer), std::move(socket), *tlsContext)
                ->start();
        } else {
            std::make_shared<Connection<beast::tcp_stream>>(*this, std::move(slot), std::move(peer), std::move(socket))->start();
        }
        accept();
    });
}

HttpServer::HttpServer(HttpServerOptions options, LogSink log) : d(std::make_shared<Private>(std::move(options), std::move(log))) {}

HttpServer::~HttpServer()
{
    stop();
    if (d->workers)
        d->workers->stop();
}

void HttpServer::route(std::string method, std::string path, Handler handler, RouteOptions options)
{
    d->router.add(std::move(method), std::move(path), std::move(handler), std::move(options));
}

void HttpServer::get(std::string path, Handler handler, RouteOptions options)
{
    route("GET", std::move(path), std::move(handler), std::move(options));
}

void HttpServer::post(std::string path, Handler handler, RouteOptions options)
{
    route("POST", std::move(path), std::move(handler), std::move(options));
}

void HttpServer::serveDirectory(std::string prefix, std::string directory)
{
    if (prefix.empty() || prefix.back() != '/')
        prefix += '/';
    const std::string routePath = prefix + "*";
    get(routePath, [prefix, directory = std::move(directory)](HttpRequest &req) {
        return staticFileResponse(directory, req.path.substr(prefix.size()));
    });
}

void HttpServer::setScreen(ScreenHook hook)
{
    d->screen = std::move(hook);
}

void HttpServer::setResponseHook(std::function<void(const HttpRequest &, HttpResponse &)> hook)
{
    d->responseHook = std::move(hook);
}

bool HttpServer::bind(std::string *error)
{
    HttpServerOptions &o = d->options;
    const bool tls = !o.tlsCert.empty() || !o.tlsKey.empty();
    if (tls) {
        if (o.tlsCert.empty() || o.tlsKey.empty()) {
            *error = "TLS needs both --tls-cert and --tls-key";
            return false;
        }
        try {
            d->tlsContext.emplace(ssl::context::tls_server);
            d->tlsContext->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
                                       | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
            d->tlsContext->use_certificate_chain_file(o.tlsCert);
            d->tlsContext->use_private_key_file(o.tlsKey, ssl::context::pem);
        } catch (const std::exception &) {
            d->tlsContext.reset();
            *error = "cannot load the TLS certificate " + o.tlsCert + " or key " + o.tlsKey;
            return false;
        }
    }
    try {
        const tcp::endpoint endpoint(net::ip::make_address(o.host), static_cast<unsigned short>(o.port));
        d->acceptor.open(endpoint.protocol());
        d->acceptor.set_option(net::socket_base::reuse_address(true));
        d->acceptor.bind(endpoint);
        d->acceptor.listen(net::socket_base::max_listen_connections);
        d->port = d->acceptor.local_endpoint().port();
    } catch (const std::exception &) {
        *error = "cannot listen on " + o.host + ":" + std::to_string(o.port);
        return false;
    }
    const int workers = o.workers > 0 ? o.workers : std::max(8, 2 * int(std::thread::hardware_concurrency()));
    d->workers = std::make_unique<WorkerPool>(workers);
    return true;
}

int HttpServer::port() const
{
    return d->port;
}

bool HttpServer::tls() const
{
    return d->tlsContext.has_value();
}

bool HttpServer::run()
{
    if (!d->acceptor.is_open() || d->stopping)
        return false;
    d->busyResponse = d->cannedBusy();
    d->accept();
    auto guard = net::make_work_guard(d->io);
    std::vector<std::thread> threads;
    for (int i = 1; i < std::max(1, d->options.ioThreads); ++i)
        threads.emplace_back([this] { d->io.run(); });
    d->io.run();
    for (std::thread &t : threads)
        t.join();
    return true;
}

void HttpServer::stop()
{
    if (d->stopping.exchange(true))
        return;
    net::post(d->acceptor.get_executor(), [p = d.get()] {
        beast::error_code ignored;
        p->acceptor.close(ignored);
    });
    {
        std::lock_guard lock(d->streamsMutex);
        for (const std::shared_ptr<StreamChannelState> &s : d->streams)
            s->close();
    }
    // Requests under way finish (their answers are written); idle connections are dropped.
    {
        std::unique_lock lock(d->busyMutex);
        d->busyDone.wait_for(lock, std::chrono::seconds(30), [this] { return d->busy == 0; });
    }
    d->io.stop();
}

} // namespace kerbside::http
