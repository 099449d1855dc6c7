// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the tablet's reading of an acknowledgement file (USB, `kerbside import
// --ack-out`): any bytes are applied or refused with a reason, never a crash or leak, and a
// response is only marked sent when the file acknowledges its revision.
#include "store/devicestore.h"
#include "syncengine.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

namespace {

// A store of three unsent responses, copied afresh for every input so that runs repeat.
struct Fixture
{
    QTemporaryDir dir;
    QString pristine = dir.filePath(QStringLiteral("pristine.sqlite"));
    QString store = dir.filePath(QStringLiteral("store.sqlite"));
    QString ack = dir.filePath(QStringLiteral("ack.bin"));
    Fixture()
    {
        auto s = kerbside::DeviceStore::open(pristine);
        kerbside::NewResponse r;
        r.formId = QStringLiteral("f");
        r.formVersion = QStringLiteral("1");
        r.caseStudy = QStringLiteral("cs");
        r.enumerator = QStringLiteral("e");
        r.deviceId = QStringLiteral("d");
        for (int i = 0; i < 3; ++i) {
            const QString uuid = s->createResponse(r);
            s->setAnswer(uuid, QStringLiteral("q"), QStringLiteral("a"));
            s->finalise(uuid, kerbside::ResponseStatus::Complete);
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Fixture fixture;
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(fixture.store + QLatin1String(suffix));
    if (!QFile::copy(fixture.pristine, fixture.store))
        __builtin_trap();
    {
        QFile f(fixture.ack);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    kerbside::SyncEngine engine(fixture.store);
    const kerbside::SyncReport report = engine.applyAcknowledgementFile(fixture.ack);
    if (report.result == kerbside::SyncReport::Result::Failed && report.error.isEmpty())
        __builtin_trap();
    return 0;
}
