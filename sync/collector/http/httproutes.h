// SPDX-License-Identifier: Apache-2.0
// Internal to the HTTP layer: route matching and static files.
#pragma once

#include "httpserver.h"

#include <deque>
#include <string>
#include <vector>

namespace kerbside::http {

struct CompiledRoute
{
    enum class Kind { Exact, Prefix, Pattern };
    std::string method;
    Kind kind = Kind::Exact;
    std::string path;                  // exact path, or the prefix without '*'
    std::vector<std::string> segments; // pattern: literal segments, or "{name}"
    Handler handler;
    RouteOptions options;

    bool matchesPath(const std::string &path, std::map<std::string, std::string> *params) const;
};

class Router
{
public:
    void add(std::string method, std::string path, Handler handler, RouteOptions options);
    // The first route (in the order added) matching method and path, its captures in
    // req.params; nullptr if none, with *otherMethod when the path matches another method's.
    const CompiledRoute *match(HttpRequest &req, bool *otherMethod) const;

private:
    std::deque<CompiledRoute> m_routes; // stable addresses
};

// A file under `root` named by `relative` (already percent-decoded), or 404.
HttpResponse staticFileResponse(const std::string &root, const std::string &relative);
std::string contentTypeFor(const std::string &fileName);

} // namespace kerbside::http
