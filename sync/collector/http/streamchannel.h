// SPDX-License-Identifier: Apache-2.0
// Internal to httpserver.cpp: the state a streamed response shares between the producer
// (any thread) and the connection's strand, which writes what is queued.
#pragma once

#include "httptypes.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace kerbside::http {

class StreamChannelState
{
public:
    enum class Next { Wait, Chunk, Finish };

    StreamChannelState(std::function<void()> kick, std::size_t bufferLimit = 1 << 20)
        : m_kick(std::move(kick)), m_limit(bufferLimit) {}

    bool write(std::string chunk, bool block)
    {
        if (chunk.empty())
            return isOpen();
        {
            std::unique_lock lock(m_mutex);
            if (block)
                m_drained.wait(lock, [this] { return m_dead || m_closed || m_queued <= m_limit; });
            if (m_dead || m_closed)
                return false;
            if (m_queued > m_limit) {
                m_dead = true; // tryWrite on a client that does not keep up: end its stream
                lock.unlock();
                m_kick();
                return false;
            }
            m_queued += chunk.size();
            m_pending += chunk;
        }
        m_kick();
        return true;
    }

    void close()
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_closed)
                return;
            m_closed = true;
        }
        m_drained.notify_all();
        m_kick();
    }

    bool isOpen() const
    {
        std::lock_guard lock(m_mutex);
        return !m_dead && !m_closed;
    }

    // On the strand: what to write next.
    Next takeQueued(std::string *out)
    {
        std::lock_guard lock(m_mutex);
        if (!m_pending.empty() && !m_dead) {
            out->swap(m_pending);
            m_pending.clear();
            return Next::Chunk;
        }
        if ((m_closed || m_dead) && !m_finished) {
            m_finished = true;
            return Next::Finish;
        }
        return Next::Wait;
    }

    // On the strand: `bytes` left the queue; ok false when the client is gone.
    void sent(std::size_t bytes, bool ok)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queued -= std::min(bytes, m_queued);
            if (!ok)
                m_dead = true;
        }
        m_drained.notify_all();
    }

private:
    std::function<void()> m_kick;
    const std::size_t m_limit;
    mutable std::mutex m_mutex;
    std::condition_variable m_drained;
    std::string m_pending;
    std::size_t m_queued = 0; // pending + being written
    bool m_closed = false;    // the producer is done
    bool m_dead = false;      // the client is gone (or too slow)
    bool m_finished = false;
};

/** The producer's handle: dropping the last copy ends the response. */
inline std::shared_ptr<StreamChannel> makeStreamHandle(std::shared_ptr<StreamChannelState> state)
{
    class Handle final : public StreamChannel
    {
    public:
        explicit Handle(std::shared_ptr<StreamChannelState> s) : m_state(std::move(s)) {}
        ~Handle() override { m_state->close(); }
        bool write(std::string chunk) override { return m_state->write(std::move(chunk), true); }
        bool tryWrite(std::string chunk) override { return m_state->write(std::move(chunk), false); }
        bool isOpen() const override { return m_state->isOpen(); }
        void close() override { m_state->close(); }

    private:
        std::shared_ptr<StreamChannelState> m_state;
    };
    return std::make_shared<Handle>(std::move(state));
}

} // namespace kerbside::http
