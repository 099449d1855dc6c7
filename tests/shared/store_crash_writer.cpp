// SPDX-License-Identifier: Apache-2.0
// Child of test_store_crash: writes answers to a device store in a loop until it is killed.
// Protocol on stdout, one flushed line per event:
//   "begin answer <uuid> <question> <value>" before setAnswer, "done answer ..." after it returns;
//   "begin final <uuid>" / "done final <uuid>" around finalise (which drops question q9);
//   "begin page <uuid> <cursor>" / "done page <uuid> <cursor>" around recordPageShown (a page
//   turn: cursor and "shown" paradata, written with synchronous=NORMAL);
//   "created <uuid>" after createResponse. The parent trusts only "done"/"created" lines.
#include "store/devicestore.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QString>

#include <cstdio>
#include <cstdlib>

using namespace kerbside;

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_crash_writer <store file> <run number>\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const int run = std::atoi(argv[2]);
    QRandomGenerator random(quint32(run) * 7919u + 1u);
    try {
        auto store = DeviceStore::open(path);
        // Carry on with the draft the previous (killed) run left, as the app would.
        QString uuid;
        if (auto draft = store->latestDraft())
            uuid = draft->uuid;
        say(QStringLiteral("ready"));
        for (int counter = 0;; ++counter) {
            if (uuid.isEmpty()) {
                NewResponse r;
                r.formId = QStringLiteral("crash");
                r.formVersion = QStringLiteral("1");
                r.caseStudy = QStringLiteral("test");
                uuid = store->createResponse(r);
                say(QStringLiteral("created ") + uuid);
            }
            const QString question = QStringLiteral("q%1").arg(random.bounded(10));
            const QString value = QStringLiteral("r%1-%2").arg(run).arg(counter);
            const QString what = QStringLiteral("answer %1 %2 %3").arg(uuid, question, value);
            say(QStringLiteral("begin ") + what);
            store->setAnswer(uuid, question, value);
            say(QStringLiteral("done ") + what);
            if (random.bounded(2) == 0) { // a page turn after every other answer
                const QString cursor = QStringLiteral("q%1").arg(random.bounded(10));
                const QString page = QStringLiteral("page %1 %2").arg(uuid, cursor);
                say(QStringLiteral("begin ") + page);
                store->recordPageShown(uuid, cursor,
                                       {{uuid, QDateTime::currentDateTimeUtc(), ParadataEvent::Kind::Shown, cursor, {}}});
                say(QStringLiteral("done ") + page);
            }
            if (random.bounded(6) == 0) { // a new response every ~6 answers
                if (random.bounded(2) == 0) {
                    QStringList keep;
                    for (int q = 0; q < 9; ++q) // q9 became irrelevant
                        keep << QStringLiteral("q%1").arg(q);
                    say(QStringLiteral("begin final ") + uuid);
                    store->finalise(uuid, ResponseStatus::Complete, keep);
                    say(QStringLiteral("done final ") + uuid);
                }
                uuid.clear(); // unfinalised ones stay drafts
            }
        }
    } catch (const StoreError &e) {
        std::fprintf(stderr, "store_crash_writer: %s\n", e.what());
        return 1;
    }
}
