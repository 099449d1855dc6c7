// SPDX-License-Identifier: Apache-2.0
#include "faultproxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace kerbside::test {

namespace {

constexpr int kPollMs = 50; // how often idle threads look at the stop flag

bool sendAll(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

// Closes at once with a TCP reset, as a dropped mobile connection often looks.
void slam(int fd)
{
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

} // namespace

FaultProxy::FaultProxy(quint16 targetPort, quint32 seed, double faultRate)
    : m_target(targetPort), m_random(seed), m_faultRate(faultRate)
{
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(m_listen, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(m_listen, 64) != 0
        || ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    m_port = ntohs(addr.sin_port);
    m_acceptThread = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy()
{
    m_stop = true;
    m_acceptThread.join();
    ::close(m_listen);
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        threads.swap(m_threads);
    }
    for (std::thread &t : threads)
        t.join();
}

void FaultProxy::setFaultRate(double rate)
{
    std::lock_guard lock(m_mutex);
    m_faultRate = rate;
}

void FaultProxy::setCutRange(qint64 requestBytes, qint64 responseBytes)
{
    std::lock_guard lock(m_mutex);
    m_requestCutRange = std::max<qint64>(1, requestBytes);
    m_responseCutRange = std::max<qint64>(1, responseBytes);
}

void FaultProxy::forceFault(Fault fault)
{
    std::lock_guard lock(m_mutex);
    m_forced = fault;
}

FaultProxy::Counts FaultProxy::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

void FaultProxy::acceptLoop()
{
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0)
            continue;
        const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        Fault fault = Fault::None;
        qint64 cutAt = 0;
        {
            std::lock_guard lock(m_mutex);
            ++m_counts.connections;
            const bool faulty = m_forced != Fault::None
                || std::uniform_real_distribution<double>(0, 1)(m_random) < m_faultRate;
            if (faulty) {
                const int kind = m_forced != Fault::None ? int(m_forced) - 1
                                                         : std::uniform_int_distribution<int>(0, 3)(m_random);
                switch (kind) {
                case 0: fault = Fault::BeforeSend; ++m_counts.beforeSend; break;
                case 1: fault = Fault::MidRequest; ++m_counts.midRequest; break;
                case 2: fault = Fault::AfterRequest; ++m_counts.afterRequest; break;
                default: fault = Fault::MidResponse; ++m_counts.midResponse; break;
                }
                // Bytes into the stream: a quarter inside the headers, the rest anywhere.
                const qint64 bodyBytes = fault == Fault::MidResponse ? m_responseCutRange : m_requestCutRange;
                cutAt = std::uniform_int_distribution<qint64>(1, 4)(m_random) == 1
                    ? std::uniform_int_distribution<qint64>(1, 300)(m_random)
                    : std::uniform_int_distribution<qint64>(1, bodyBytes)(m_random);
            }
            m_threads.emplace_back([this, client, fault, cutAt] { relay(client, fault, cutAt); });
        }
    }
}

void FaultProxy::relay(int client, Fault fault, qint64 cutAt)
{
    const auto cutDone = [this] {
        std::lock_guard lock(m_mutex);
        ++m_counts.cut;
    };
    if (fault == Fault::BeforeSend) {
        cutDone();
        slam(client);
        return;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(m_target.load());
    if (::connect(server, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(server);
        slam(client); // the server is down: the device sees a refused/dropped connection
        return;
    }
    const int one = 1;
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    qint64 up = 0;   // client -> server bytes forwarded
    qint64 down = 0; // server -> client bytes forwarded
    char buffer[16384];
    bool open = true;
    while (open && !m_stop) {
        pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(p, 2, kPollMs) <= 0)
            continue;
        for (int side = 0; side < 2 && open; ++side) {
            if (!(p[side].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const int from = side == 0 ? client : server;
            const int to = side == 0 ? server : client;
            qint64 n = ::recv(from, buffer, sizeof buffer, 0);
            if (n <= 0) {
                open = false;
                break;
            }
            qint64 &sent = side == 0 ? up : down;
            qint64 limit = n;
            if (side == 0 && fault == Fault::MidRequest)
                limit = std::min(n, cutAt - sent);
            else if (side == 1 && fault == Fault::AfterRequest)
                limit = 0; // the server has the whole request and answered: drop the answer
            else if (side == 1 && fault == Fault::MidResponse)
                limit = std::min(n, cutAt - sent);
            if (limit > 0 && !sendAll(to, buffer, limit)) {
                open = false;
                break;
            }
            sent += std::max<qint64>(0, limit);
            if (limit < n) {
                open = false; // the cut
                cutDone();
            }
        }
    }
    {
        std::lock_guard lock(m_mutex);
        m_counts.bytesUp += up;
        m_counts.bytesDown += down;
    }
    slam(client);
    ::close(server);
}

} // namespace kerbside::test
