// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httptypes.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kerbside::http {

struct HttpServerOptions
{
    std::string host = "127.0.0.1";
    int port = 0;        // 0: pick a free port (see port())
    std::string tlsCert; // PEM files; both set -> HTTPS only
    std::string tlsKey;
    int ioThreads = 2;   // reading, writing and parsing only; never blocked
    int workers = 0;     // handler threads (SQL, merges, exports); 0: max(8, 2 x cores)
    std::chrono::milliseconds headDeadline{10'000}; // whole request line + headers, from the first byte
    std::chrono::milliseconds idleTimeout{5'000};   // a connection with no request under way
    // A body must arrive within bodyDeadline + size / minBodyRate (a 16 MiB batch: 10 s + 256 s).
    std::chrono::milliseconds bodyDeadline{10'000};
    std::uint64_t minBodyRate = 64 * 1024; // bytes per second
    int maxConnectionsPerAddress = 64;     // beyond it: 503 and close, before anything is read
    std::uint64_t defaultBodyLimit = 64 * 1024;
    std::string errorHeader = "X-Kerbside-Error"; // names the kind of refusals the server makes itself
};

/** What a screening hook decides from the headers alone: nothing (go on) or the refusal. */
using ScreenHook = std::function<std::optional<HttpResponse>(HttpRequest &)>;
using Handler = std::function<HttpResponse(HttpRequest &)>;

struct RouteOptions
{
    std::optional<std::uint64_t> bodyLimit; // default: HttpServerOptions::defaultBodyLimit
    ScreenHook screen;                      // after the server's own checks, before the body
};

/** One completed exchange, for the log sink. */
struct ExchangeRecord
{
    const HttpRequest &request;   // method/path empty when the head never arrived
    const HttpResponse &response; // status 0 when the connection was dropped without one
    std::uint64_t bytesIn = 0;    // body bytes
    std::uint64_t bytesOut = 0;   // body bytes (streamed: all chunks)
    double milliseconds = 0;
    std::string dropped; // why the connection was dropped without an answer ("head-timeout", ...)
};

// The collector's event-driven HTTP/1.1 server (Boost.Beast over Asio): a few I/O threads
// parse and write for every connection; handlers run on a bounded worker pool, so an idle or
// slow connection holds no thread. Routes are matched by method and path:
// - exact:   "/v1/status"
// - prefix:  "/static/*"          (any path starting with "/static/")
// - pattern: "/v1/forms/{id}/{version}" (each {name} is one non-empty segment, in params)
// Per request: the head must arrive within headDeadline; then the route's body limit
// (413 from Content-Length; 411 for chunked or length-less POST/PUT/PATCH), the global and
// the route's screening hooks (on a worker), `Expect: 100-continue` answered only after
// them, the body read within its deadline, the handler on a worker, and the response hook
// applied to every answer, refusals included. Configure before bind().
class HttpServer
{
public:
    using LogSink = std::function<void(const ExchangeRecord &)>;
    HttpServer(HttpServerOptions options, LogSink log);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    void route(std::string method, std::string path, Handler handler, RouteOptions options = {});
    void get(std::string path, Handler handler, RouteOptions options = {});
    void post(std::string path, Handler handler, RouteOptions options = {});
    // GET of files under `directory` at `prefix` ("/" or "/static/"): content type from
    // the extension, index.html for a directory, 404 for anything outside it (no "..", no
    // symlink out of it, no dot files). Routes match in the order added: add "/" last.
    void serveDirectory(std::string prefix, std::string directory);
    // Runs on a worker for every request that matched a route, before the route's own hook.
    void setScreen(ScreenHook hook);
    // Called on every response before it is sent (security headers, say); once by run(), with an
    // empty request, on the canned 503 that refuses a connection over the per-address limit.
    void setResponseHook(std::function<void(const HttpRequest &, HttpResponse &)> hook);

    bool bind(std::string *error); // loads the TLS files and listens
    int port() const;
    bool tls() const;
    bool run();  // serves until stop(); answers under way are finished first
    void stop(); // thread-safe

    struct Private; // internal (httpserver.cpp); public only for the connection classes there

private:
    std::shared_ptr<Private> d;
};

} // namespace kerbside::http
