// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for a device's status report (POST /v1/status, i12): the StatusRequest
// protobuf, its UUIDs, then CollectorStore::recordDeviceReport and quotaStatus on a real SQLite
// collector. Any bytes are kept or refused with CollectorError, never a crash or a leak, and
// quota show never counts more than was reported.
#include "batchcodec.h"
#include "collectorstore.h"
#include "kerbside/v1/sync.pb.h"

#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace kerbside;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir dir;
    static std::unique_ptr<CollectorStore> store = [] {
        auto s = openCollectorStore(dir.filePath(QStringLiteral("fuzz.sqlite")));
        s->addCaseStudy(QStringLiteral("cs"), QStringLiteral("Case"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        s->addEnrolmentCode({QByteArray(32, 'c'), QStringLiteral("cs"), now, now.addYears(1)});
        s->redeemEnrolmentCode(QByteArray(32, 'c'), now, QStringLiteral("dev"), QByteArray(32, 't'), {});
        quota::Plan plan;
        plan.caseStudy = QStringLiteral("cs");
        plan.formId = QStringLiteral("f");
        plan.dimensions = {{QStringLiteral("gender"), {QStringLiteral("woman"), QStringLiteral("man")}}};
        plan.targets = {{QStringLiteral("gender=woman"), 3}, {QStringLiteral("gender=man"), 3}};
        s->setQuotaPlan(plan);
        return s;
    }();
    v1::StatusRequest request;
    if (!request.ParseFromArray(data, int(size)))
        return 0;
    QList<UnsyncedComplete> items;
    for (const v1::UnsyncedComplete &u : request.unsynced())
        items.append({BatchCodec::uuidFromWire(QByteArray::fromStdString(u.uuid()), QString::fromStdString(u.uuid_text())),
                      QString::fromStdString(u.case_study()), QString::fromStdString(u.cell())});
    try {
        store->recordDeviceReport(QStringLiteral("dev"), items);
    } catch (const CollectorError &) {
        return 0;
    }
    const QuotaStatus s = store->quotaStatus(QStringLiteral("cs")).value(0);
    if (s.totalUnsynced > items.size())
        __builtin_trap();
    return 0;
}
