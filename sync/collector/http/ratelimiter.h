// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kerbside::http {

/** Token buckets by key (a client address, an enrolment code prefix): `burst` tokens, refilled
 *  at `perSecond`. take() never waits: it answers at once, with how long to wait when empty,
 *  so a limited caller costs no thread. Buckets that have refilled are forgotten, which keeps
 *  the table as small as the set of keys active in the last burst/perSecond seconds. */
class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double burst, double perSecond) : m_burst(burst), m_rate(perSecond) {}

    // 0 when a token was taken; else the whole seconds until one is available (>= 1).
    int take(const std::string &key, Clock::time_point now = Clock::now())
    {
        std::lock_guard lock(m_mutex);
        prune(now);
        Bucket &b = m_buckets.try_emplace(key, Bucket{m_burst, now}).first->second;
        refill(b, now);
        if (b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
        }
        return std::max(1, int(std::ceil((1.0 - b.tokens) / m_rate)));
    }

    // Gives back a token taken for an attempt that turned out legitimate.
    void refund(const std::string &key)
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_buckets.find(key);
        if (it != m_buckets.end())
            it->second.tokens = std::min(m_burst, it->second.tokens + 1.0);
    }

private:
    struct Bucket
    {
        double tokens;
        Clock::time_point updated;
    };
    void refill(Bucket &b, Clock::time_point now) const
    {
        const double seconds = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(m_burst, b.tokens + seconds * m_rate);
        b.updated = now;
    }
    void prune(Clock::time_point now)
    {
        if (m_buckets.size() < 4096)
            return;
        for (auto it = m_buckets.begin(); it != m_buckets.end();) {
            refill(it->second, now);
            it = it->second.tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
        }
    }

    const double m_burst;
    const double m_rate;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace kerbside::http
