// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kerbside::http {

/** A fixed set of threads running queued tasks in order: where the HTTP server's blocking
 *  work (screening with a database lookup, handlers, stream producers) runs. */
class WorkerPool
{
public:
    explicit WorkerPool(int threads)
    {
        for (int i = 0; i < threads; ++i)
            m_threads.emplace_back([this] { loop(); });
    }
    ~WorkerPool() { stop(); }
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void post(std::function<void()> task)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
            m_tasks.push_back(std::move(task));
        }
        m_wake.notify_one();
    }

    // Runs what is queued, then joins; later posts are dropped.
    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        for (std::thread &t : m_threads) {
            if (t.joinable())
                t.join();
        }
        m_threads.clear();
    }

private:
    void loop()
    {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
                if (m_tasks.empty())
                    return;
                task = std::move(m_tasks.front());
                m_tasks.pop_front();
            }
            task();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_tasks;
    std::vector<std::thread> m_threads;
    bool m_stopping = false;
};

} // namespace kerbside::http
