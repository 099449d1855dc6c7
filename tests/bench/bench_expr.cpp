// SPDX-License-Identifier: Apache-2.0
// bench_expr: evaluations per second of a typical relevance expression against the same
// predicate hand-written in C++ over the same QString answers (measured in this process, so
// the ratio means something on a noisy machine), heap allocations per evaluation, and parses
// per second.
#include "expr/evalcontext.h"
#include "expr/expression.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringView>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>

// Count every malloc (QString data and operator new both end there) by wrapping glibc's.
extern "C" void *__libc_malloc(size_t size);
static std::atomic<long long> g_mallocs{0};
extern "C" void *malloc(size_t size)
{
    g_mallocs.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(size);
}

namespace {

using Clock = std::chrono::steady_clock;

const QString kAge = QStringLiteral("age");
const QString kServices = QStringLiteral("services");
const QString kConsent = QStringLiteral("consent");

/** Answers as the interview holds them: strings by field name. */
class Answers : public kerbside::EvalContext
{
public:
    kerbside::Value fieldValue(const QString &name) const override
    {
        return kerbside::Value::string(m_answers.value(name));
    }
    QHash<QString, QString> m_answers;
};

// The same predicate written by hand, as tight as one would write it without an engine.
bool handWritten(const QHash<QString, QString> &answers)
{
    bool ok = false;
    const double age = answers.value(kAge).toDouble(&ok);
    if (!ok || !(age >= 18))
        return false;
    const QString services = answers.value(kServices);
    bool bins = false;
    // Walk the space-separated items in place (no split, no allocation).
    qsizetype start = 0;
    while (!bins && start < services.size()) {
        qsizetype end = services.indexOf(u' ', start);
        if (end < 0)
            end = services.size();
        bins = QStringView(services).sliced(start, end - start) == u"bins";
        start = end + 1;
    }
    return bins && answers.value(kConsent) == u"yes";
}

std::vector<Answers> answerSets()
{
    std::vector<Answers> sets(4);
    const char *ages[] = {"34", "15", "61", "18"};
    const char *services[] = {"bins parking", "bins", "noise parking bins", "parking"};
    const char *consent[] = {"yes", "yes", "no", "yes"};
    for (int i = 0; i < 4; ++i) {
        sets[size_t(i)].m_answers.insert(kAge, QString::fromLatin1(ages[i]));
        sets[size_t(i)].m_answers.insert(kServices, QString::fromLatin1(services[i]));
        sets[size_t(i)].m_answers.insert(kConsent, QString::fromLatin1(consent[i]));
    }
    return sets;
}

template<typename F>
double perSecond(F &&body, long long *iterationsOut = nullptr)
{
    // Batches of 10k until ~1 s has passed.
    long long n = 0;
    const auto start = Clock::now();
    auto elapsed = Clock::duration::zero();
    do {
        for (int i = 0; i < 10000; ++i)
            body(n + i);
        n += 10000;
        elapsed = Clock::now() - start;
    } while (elapsed < std::chrono::seconds(1));
    if (iterationsOut)
        *iterationsOut = n;
    return double(n) / std::chrono::duration<double>(elapsed).count();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString text = QStringLiteral(
        "${age} >= 18 and selected(${services}, 'bins') and ${consent} = 'yes'");
    const kerbside::Expression expression = kerbside::Expression::parse(text);
    if (!expression.isValid()) {
        std::fprintf(stderr, "parse failed: %s\n", qPrintable(expression.errorMessage()));
        return 1;
    }
    const std::vector<Answers> sets = answerSets();

    // Both must agree before timing means anything.
    for (const Answers &a : sets) {
        if (expression.evaluateBoolean(a) != handWritten(a.m_answers)) {
            std::fprintf(stderr, "engine and hand-written predicate disagree\n");
            return 1;
        }
    }

    volatile long long sink = 0;
    const double baseline = perSecond([&](long long i) { sink = sink + handWritten(sets[size_t(i & 3)].m_answers); });
    const double engine = perSecond([&](long long i) { sink = sink + expression.evaluateBoolean(sets[size_t(i & 3)]); });

    long long before = g_mallocs.load();
    constexpr int kCounted = 100000;
    for (int i = 0; i < kCounted; ++i)
        sink = sink + handWritten(sets[size_t(i & 3)].m_answers);
    const double baselineMallocs = double(g_mallocs.load() - before) / kCounted;

    before = g_mallocs.load();
    for (int i = 0; i < kCounted; ++i)
        sink = sink + expression.evaluateBoolean(sets[size_t(i & 3)]);
    const double mallocsPerEval = double(g_mallocs.load() - before) / kCounted;

    const double parses = perSecond([&](long long) {
        const kerbside::Expression e = kerbside::Expression::parse(text);
        sink = sink + e.isValid();
    });

    std::printf("expression: %s\n", qPrintable(text));
    std::printf("hand-written C++ baseline: %12.0f evals/s\n", baseline);
    std::printf("expression engine:         %12.0f evals/s\n", engine);
    std::printf("engine / baseline:         %12.2f\n", engine / baseline);
    std::printf("heap allocations per eval: %12.2f (baseline %.2f)\n", mallocsPerEval, baselineMallocs);
    std::printf("parses:                    %12.0f parses/s\n", parses);
    return 0;
}
