// SPDX-License-Identifier: Apache-2.0
// `kerbside rescue`: rebuilds a USB batch file from a tablet's outbox journal (the second copy
// of every finalised, unacknowledged response, shared/store/outboxjournal.h) when its store is
// damaged or lost. `kerbside import` then merges it like any other batch: the collector's
// exactly-once merge makes responses it already holds duplicates, never doubles.
#include "collectorcli.h"

#include "batchcodec.h"
#include "batchfile.h"
#include "form/formloader.h"
#include "store/outboxjournal.h"

#include <QDateTime>
#include <QDir>
#include <QMap>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside rescue --journal FILE --out BATCH.kbatch [--forms DIR]...\n"
    "  FILE is the tablet's <store>.journal; DIR holds the form JSON files the responses were\n"
    "  answered on (the tablet's downloaded-forms folder, or forms/), for the answers' types");

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("journal"), QStringLiteral("out"), QStringLiteral("forms")},
                            {}, kUsage, &args))
        return kExitUsage;
    const QString journal = args.value(QStringLiteral("journal"));
    const QString outPath = args.value(QStringLiteral("out"));
    if (journal.isEmpty() || outPath.isEmpty() || !args.positional.isEmpty()) {
        err(kUsage);
        return kExitUsage;
    }
    const OutboxJournal::ReadResult read = OutboxJournal::read(journal);
    if (!read.error.isEmpty()) {
        err(read.error);
        return kExitRefused;
    }
    if (read.damagedRecords > 0)
        err(QStringLiteral("%1: %2 damaged records skipped").arg(journal).arg(read.damagedRecords));

    // The newest revision of each response; the file order is kept for the batch.
    QMap<QString, qsizetype> newest;
    for (qsizetype i = 0; i < read.entries.size(); ++i) {
        const ResponseMeta &m = read.entries[i].response.meta;
        const auto it = newest.constFind(m.uuid);
        if (it == newest.constEnd() || read.entries[*it].response.meta.revision <= m.revision)
            newest.insert(m.uuid, i);
    }
    OutboxBatch batch;
    QString deviceId;
    for (qsizetype i = 0; i < read.entries.size(); ++i) {
        const OutboxJournal::Entry &e = read.entries[i];
        if (newest.value(e.response.meta.uuid) != i)
            continue;
        if (deviceId.isEmpty())
            deviceId = e.response.meta.deviceId;
        if (e.response.meta.deviceId != deviceId) {
            err(QStringLiteral("%1 holds responses of two devices (%2 and %3); nothing written")
                    .arg(journal, deviceId, e.response.meta.deviceId));
            return kExitRefused;
        }
        batch.responses.append(e.response);
        batch.paradata.append(e.paradata);
    }
    if (batch.responses.isEmpty()) {
        out(QStringLiteral("%1 holds no responses waiting for the collector; nothing written").arg(journal));
        return kExitOk;
    }

    QList<Form> forms;
    for (const QString &dir : args.values(QStringLiteral("forms"))) {
        for (const QFileInfo &f : QDir(dir).entryInfoList({QStringLiteral("*.json")}, QDir::Files)) {
            FormLoadResult r = FormLoader::loadFile(f.filePath());
            if (r.ok())
                forms.append(std::move(*r.form));
        }
    }
    QList<const Form *> formPointers;
    for (const Form &f : forms)
        formPointers.append(&f);

    BatchHeader header;
    header.batchUuid = BatchCodec::newUuid();
    header.deviceId = deviceId;
    // Past any number the tablet used (the collector tolerates gaps): seconds since the epoch.
    header.sequence = quint64(QDateTime::currentSecsSinceEpoch());
    header.created = QDateTime::currentDateTimeUtc();
    header.appVersion = QStringLiteral("kerbside-rescue");
    const QByteArray bytes = BatchCodec::encode(header, batch, BatchCodec::typesFrom(formPointers));
    QString error;
    if (!BatchFile::write(outPath, bytes, deviceId, &error)) {
        err(QStringLiteral("cannot write %1: %2").arg(outPath, error));
        return kExitRefused;
    }
    out(QStringLiteral("%1: %2 responses of device %3 written to %4 (batch %5); merge it with "
                       "`kerbside import %4 --db ...`")
            .arg(journal)
            .arg(batch.responses.size())
            .arg(deviceId, outPath, header.batchUuid));
    return kExitOk;
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("rescue"), QStringLiteral("rebuild a USB batch file from a tablet's outbox journal"), &run, kUsage}};

} // namespace
