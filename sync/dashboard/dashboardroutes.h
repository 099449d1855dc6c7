// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace kerbside::http {
class HttpServer;
}

namespace kerbside::dashboard {

class Dashboard;

/** Adds the dashboard's routes to the collector's HTTP server (before bind()), and its security
 *  headers to every answer the server makes itself (its response hook): the pages at
 *  "/" and "/{page}.html", "/static/...", "/vendor/...", and "/api/v1/..." (GET and POST; form
 *  uploads up to 10 MiB). Each request is copied into a WebRequest for Dashboard::handle()
 *  and its WebResponse back, streamed ones (exports) through the server's stream channel. */
void addRoutes(http::HttpServer &server, Dashboard &board);

} // namespace kerbside::dashboard
