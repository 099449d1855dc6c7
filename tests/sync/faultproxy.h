// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace kerbside::test {

/** A TCP proxy on 127.0.0.1 that forwards to a local port and, seeded, cuts connections at
 *  random points: before anything is forwarded, in the middle of the request, after the
 *  request reached the server but before any of its answer came back, or in the middle of
 *  the answer. One thread per connection, poll()-based; for tests only. */
class FaultProxy
{
public:
    enum class Fault { None, BeforeSend, MidRequest, AfterRequest, MidResponse };
    struct Counts
    {
        int connections = 0;
        int beforeSend = 0;
        int midRequest = 0;   // decided; a request shorter than the cut point passes whole
        int afterRequest = 0;
        int midResponse = 0;
        int cut = 0;          // connections actually cut (a cut point past the end cuts nothing)
        qint64 bytesUp = 0;   // client -> server, forwarded (whole requests incl. headers)
        qint64 bytesDown = 0; // server -> client, forwarded
        int faults() const { return beforeSend + midRequest + afterRequest + midResponse; }
    };

    // faultRate: the share of connections that get a fault (0..1).
    FaultProxy(quint16 targetPort, quint32 seed, double faultRate);
    ~FaultProxy();
    FaultProxy(const FaultProxy &) = delete;
    FaultProxy &operator=(const FaultProxy &) = delete;

    quint16 port() const { return m_port; }
    void setTargetPort(quint16 port) { m_target = port; } // e.g. after restarting the server
    void setFaultRate(double rate);
    // Every new connection gets this fault (None: back to random faults at the rate).
    void forceFault(Fault fault);
    // Cut points are drawn up to these many bytes into each direction (after a quarter of
    // them land in the first 300 bytes, the headers). Match them to the traffic.
    void setCutRange(qint64 requestBytes, qint64 responseBytes);
    Counts counts() const;

private:
    void acceptLoop();
    void relay(int client, Fault fault, qint64 cutAt);

    int m_listen = -1;
    quint16 m_port = 0;
    std::atomic<quint16> m_target;
    std::atomic_bool m_stop{false};
    mutable std::mutex m_mutex; // guards the generator, the rate, the counts and the threads
    std::mt19937 m_random;
    double m_faultRate;
    Fault m_forced = Fault::None;
    qint64 m_requestCutRange = 150'000; // batch requests are ~100-300 kB
    qint64 m_responseCutRange = 6'000;  // acknowledgements a few kB
    Counts m_counts;
    std::thread m_acceptThread;
    std::vector<std::thread> m_threads;
};

} // namespace kerbside::test
