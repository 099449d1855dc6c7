// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kerbside::http {

/** Counts open connections per client address. acquire() hands out a slot that frees itself
 *  when dropped, or nothing when the address already holds `limit` connections. */
class ConnectionLimiter
{
public:
    explicit ConnectionLimiter(int limit) : m_state(std::make_shared<State>()) { m_state->limit = limit; }

    class Slot
    {
    public:
        Slot(std::shared_ptr<void> release) : m_release(std::move(release)) {}
    private:
        std::shared_ptr<void> m_release;
    };

    std::unique_ptr<Slot> acquire(const std::string &address)
    {
        std::lock_guard lock(m_state->mutex);
        int &count = m_state->open[address];
        if (count >= m_state->limit)
            return nullptr;
        ++count;
        std::weak_ptr<State> state = m_state;
        return std::make_unique<Slot>(std::shared_ptr<void>(nullptr, [state, address](void *) {
            if (const std::shared_ptr<State> s = state.lock()) {
                std::lock_guard lock(s->mutex);
                if (--s->open[address] <= 0)
                    s->open.erase(address);
            }
        }));
    }

    int open(const std::string &address) const
    {
        std::lock_guard lock(m_state->mutex);
        const auto it = m_state->open.find(address);
        return it == m_state->open.end() ? 0 : it->second;
    }

private:
    struct State
    {
        mutable std::mutex mutex;
        std::unordered_map<std::string, int> open;
        int limit = 64;
    };
    std::shared_ptr<State> m_state;
};

} // namespace kerbside::http
