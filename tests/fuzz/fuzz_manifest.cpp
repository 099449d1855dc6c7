// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the tablet's reading of the collector's form manifest (GET /v1/forms):
// the protobuf, then each form's id, version, hash and JSON as the sync client saves them.
// Any bytes are saved or refused with a problem, never a crash, a leak or a file outside the
// forms folder.
#include "formdirectory.h"
#include "kerbside/v1/sync.pb.h"

#include <QDir>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir root;
    kerbside::v1::FormManifest manifest;
    if (!manifest.ParseFromArray(data, int(size)))
        return 0;
    const QString dir = root.filePath(QStringLiteral("forms"));
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    kerbside::FormDirectory forms(dir);
    for (const kerbside::v1::PublishedForm &f : manifest.forms()) {
        const QString id = QString::fromStdString(f.id());
        const QString version = QString::fromStdString(f.version());
        const QByteArray json = QByteArray::fromStdString(f.json());
        const QByteArray sha = QByteArray::fromStdString(f.sha256());
        (void)forms.has(id, version);
        (void)forms.save(id, version, json, sha);
    }
    // Nothing may have been written outside the folder.
    if (QDir(root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size() != 1)
        __builtin_trap();
    return 0;
}
