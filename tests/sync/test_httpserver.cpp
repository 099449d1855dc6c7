// SPDX-License-Identifier: Apache-2.0
// The HTTP layer's route API (sync/collector/http/), in process on loopback, as the dashboard
// uses it: captures, query, cookies, screening before the body, streamed responses that stop
// when the client leaves, static files without traversal, the response hook.
#include <catch2/catch.hpp>

#include "http/httpserver.h"

#include <httplib.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <atomic>
#include <csignal>
#include <future>
#include <thread>

using namespace kerbside::http;

namespace {

[[maybe_unused]] const bool kIgnoreSigpipe = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}();

/** An HttpServer running on its own thread for one test. */
struct Running
{
    HttpServer server;
    std::thread thread;
    explicit Running(HttpServerOptions o = {}) : server(std::move(o), nullptr) {}
    void start()
    {
        std::string error;
        REQUIRE(server.bind(&error));
        thread = std::thread([this] { server.run(); });
    }
    ~Running()
    {
        server.stop();
        if (thread.joinable())
            thread.join();
    }
    httplib::Client client() const
    {
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(20, 0);
        return c;
    }
};

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

TEST_CASE("routes capture path parts, query items, cookies and the peer; the response hook sees every answer",
          "[http]")
{
    Running r;
    r.server.get("/api/v1/items/{id}/notes/{note}", [](HttpRequest &req) {
        return HttpResponse::text(200, req.param("id") + "|" + req.param("note") + "|" + req.queryValue("q").value_or("-") + "|"
                                           + req.cookie("session").value_or("-") + "|" + req.peerAddress + "|"
                                           + (req.tls ? "tls" : "plain") + "|" + req.header("x-MiXeD"));
    });
    r.server.get("/api/v1/prefix/*", [](HttpRequest &req) { return HttpResponse::text(200, req.path); });
    r.server.setResponseHook([](const HttpRequest &, HttpResponse &res) { res.headers.set("X-Content-Type-Options", "nosniff"); });
    r.start();

    httplib::Result res = r.client().Get("/api/v1/items/a%20b/notes/7?x=1&q=hello%20there&q=second",
                                         {{"Cookie", "theme=dark; session=\"abc123\""}, {"X-Mixed", "Case"}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "a b|7|hello there|abc123|127.0.0.1|plain|Case");
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");

    res = r.client().Get("/api/v1/prefix/deep/er");
    REQUIRE(res);
    CHECK(res->body == "/api/v1/prefix/deep/er");
    // Refusals made by the server itself go through the hook too.
    res = r.client().Get("/api/v1/items/1/notes");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("a route's screening hook refuses from the headers and its body limit holds", "[http]")
{
    Running r;
    std::atomic<int> handled{0};
    RouteOptions o;
    o.bodyLimit = 1000;
    o.screen = [](HttpRequest &req) -> std::optional<HttpResponse> {
        if (req.header("Authorization") != "Bearer good")
            return HttpResponse::text(401, "no\n");
        req.notes["who"] = "good";
        return std::nullopt;
    };
    r.server.post("/upload", [&](HttpRequest &req) {
        ++handled;
        return HttpResponse::text(200, req.notes["who"] + ":" + std::to_string(req.body.size()));
    }, o);
    r.start();
    httplib::Result res = r.client().Post("/upload", {{"Authorization", "Bearer bad"}}, std::string(10, 'x'), "text/plain");
    REQUIRE(res);
    CHECK(res->status == 401);
    res = r.client().Post("/upload", {{"Authorization", "Bearer good"}}, std::string(10, 'x'), "text/plain");
    REQUIRE(res);
    CHECK(res->body == "good:10");
    if (httplib::Result big = r.client().Post("/upload", {{"Authorization", "Bearer good"}}, std::string(5000, 'x'), "text/plain"))
        CHECK(big->status == 413);
    CHECK(handled == 1);
}

TEST_CASE("a streamed response arrives in chunks, and its producer stops when the client goes away", "[http]")
{
    Running r;
    std::promise<int> stoppedAfter;
    r.server.get("/export", [](HttpRequest &) {
        return HttpResponse::streamed("text/plain", [](std::shared_ptr<StreamChannel> out) {
            // No Catch assertions here: this runs on a worker thread.
            for (int i = 0; i < 1000 && out->write("line " + std::to_string(i) + "\n"); ++i) {
            }
        });
    });
    r.server.get("/events", [&stoppedAfter](HttpRequest &) {
        return HttpResponse::streamed("text/event-stream", [&stoppedAfter](std::shared_ptr<StreamChannel> out) {
            // Writes until the client has gone: each write that fails ends it.
            int n = 0;
            while (out->write("data: " + std::string(1000, 'e') + "\n\n") && n < 1'000'000)
                ++n;
            stoppedAfter.set_value(n);
        });
    });
    r.start();

    httplib::Result res = r.client().Get("/export");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
    std::string expected;
    for (int i = 0; i < 1000; ++i)
        expected += "line " + std::to_string(i) + "\n";
    CHECK(res->body == expected);

    // Read a little of the event stream, then hang up: the producer's writes start failing.
    httplib::Client c = r.client();
    std::size_t received = 0;
    httplib::Result events = c.Get("/events", [&](const char *, size_t n) {
        received += n;
        return received < 100'000;
    });
    CHECK(received >= 100'000);
    std::future<int> stopped = stoppedAfter.get_future();
    REQUIRE(stopped.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    CHECK(stopped.get() < 1'000'000);
}

TEST_CASE("static files are served with their content type and nothing outside the folder", "[http]")
{
    QTemporaryDir dir;
    const QString site = dir.filePath(QStringLiteral("site"));
    REQUIRE(QDir().mkpath(site + QStringLiteral("/css")));
    writeFile(site + QStringLiteral("/index.html"), "<!doctype html><title>k</title>");
    writeFile(site + QStringLiteral("/css/app.css"), "body{}");
    writeFile(site + QStringLiteral("/.secret"), "hidden");
    writeFile(dir.filePath(QStringLiteral("outside.txt")), "outside");
    REQUIRE(QFile::link(dir.filePath(QStringLiteral("outside.txt")), site + QStringLiteral("/link.txt")));
    Running r;
    r.server.serveDirectory("/", site.toStdString());
    r.start();

    httplib::Result res = r.client().Get("/");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    res = r.client().Get("/css/app.css");
    REQUIRE(res);
    CHECK(res->body == "body{}");
    CHECK(res->get_header_value("Content-Type") == "text/css; charset=utf-8");
    for (const char *bad : {"/../outside.txt", "/css/../../outside.txt", "/%2e%2e/outside.txt", "/.secret", "/link.txt",
                            "/css%2f..%2f..%2foutside.txt", "/nothing.html"}) {
        INFO(bad);
        httplib::Result b = r.client().Get(bad);
        if (b) {
            CHECK(b->status == 404);
            CHECK(b->body.find("outside") == std::string::npos);
        }
    }
}
