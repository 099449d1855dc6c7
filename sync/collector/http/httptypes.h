// SPDX-License-Identifier: Apache-2.0
// The request and response types of the collector's HTTP layer (httpserver.h). Plain C++: the
// handlers that use them never see Boost.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kerbside::http {

bool equalsIgnoringCase(std::string_view a, std::string_view b);

/** Header fields in arrival order; names compared case-insensitively. */
class HttpHeaders
{
public:
    bool has(std::string_view name) const;
    std::string value(std::string_view name) const; // the first; "" if absent
    void set(std::string name, std::string value);  // replaces every field of that name
    void add(std::string name, std::string value);
    void remove(std::string_view name);
    const std::vector<std::pair<std::string, std::string>> &fields() const { return m_fields; }

private:
    std::vector<std::pair<std::string, std::string>> m_fields;
};

struct HttpRequest
{
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: path and query
    std::string path;    // percent-decoded, without the query
    std::string query;   // raw, after '?'
    HttpHeaders headers;
    std::string body;    // empty until the route's screening passed and the body was read
    std::optional<std::uint64_t> contentLength;
    std::string peerAddress; // "127.0.0.1", "::1"
    bool tls = false;
    std::map<std::string, std::string> params; // captured {name} parts of a pattern route
    // Notes a screening hook or handler leaves for later stages and the logger (e.g. the
    // authenticated device id). Never put secrets here: the logger may print them.
    std::map<std::string, std::string> notes;

    std::string header(std::string_view name) const { return headers.value(name); }
    std::string param(const std::string &name) const;
    std::optional<std::string> queryValue(std::string_view name) const; // decoded
    std::map<std::string, std::string> queryItems() const;             // decoded, first wins
    std::optional<std::string> cookie(std::string_view name) const;
};

/** A response body written in pieces while the response is under way: an export streamed as
 *  it is produced, or Server-Sent Events that stay open. Thread-safe; any thread may write.
 *  The response ends when close() is called or the last reference is dropped. */
class StreamChannel
{
public:
    virtual ~StreamChannel() = default;
    // Queues a chunk; blocks while more than the channel's buffer limit is still unsent
    // (backpressure). False once the client has gone, the server stops or a write timed out:
    // the producer should stop then.
    virtual bool write(std::string chunk) = 0;
    // Like write() but never blocks: false (and the stream is closed) when the buffer is full,
    // i.e. the client reads too slowly; for broadcasters that must not wait on one client.
    virtual bool tryWrite(std::string chunk) = 0;
    virtual bool isOpen() const = 0;
    virtual void close() = 0;
};

using StreamProvider = std::function<void(std::shared_ptr<StreamChannel>)>;

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    std::string body;
    // Set: the body is streamed (chunked) instead of `body`; the provider is called once on a
    // worker thread after the head is sent. It may write everything and return (an export)
    // or keep the channel and write later from other threads (SSE). The connection closes
    // after a streamed response.
    StreamProvider stream;
    bool closeConnection = false; // answer, then hang up (the server sets it when a body is left unread)

    static HttpResponse text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
    static HttpResponse streamed(std::string contentType, StreamProvider provider);
};

} // namespace kerbside::http
