// SPDX-License-Identifier: Apache-2.0
// web_tablet: a simulated tablet for the dashboard's browser tests. A real DeviceStore and the
// real SyncEngine, over HTTP to a running `kerbside serve`.
//
//   web_tablet --dir DIR --url URL [--code CODE] --case-study CS --count N [--seed S]
//              [--comment TEXT] [--refused M] [--contacts K] [--conflict]
// Enrols with --code when DIR holds no tablet yet, records N vox-pop interviews (the first
// one's comment set to TEXT) and M more whose consent is no choice of the form (the collector
// refuses them, so the tablet keeps them and reports them after the sync), K approaches in the
// contact log (the even ones refusals, the odd ones "come back later"), and syncs. --conflict then
// makes a conflict the way a tablet restored from a backup does: one interview copied before
// it is finalised, finalised with another answer in the copy, and both synced.
#include "../sync/test_syncclient_harness.h"

#include "syncsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

using namespace kerbside;
using namespace kerbside::test;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "web_tablet: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QMap<QString, QString> a;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString name = args[i].mid(2);
        if (name == QLatin1String("conflict"))
            a.insert(name, QStringLiteral("1"));
        else if (i + 1 < args.size())
            a.insert(name, args[++i]);
    }
    const QString dir = a.value(QStringLiteral("dir"));
    const QString url = a.value(QStringLiteral("url"));
    const QString cs = a.value(QStringLiteral("case-study"));
    if (dir.isEmpty() || url.isEmpty() || cs.isEmpty())
        return fail(QStringLiteral("--dir, --url and --case-study are needed"));
    QDir().mkpath(dir);
    try {
        SyncOptions options;
        options.appVersion = QStringLiteral("web_tablet 1.0"); // what the tablets page shows
        Device d(dir, QStringLiteral("tablet-") + QDir(dir).dirName(), options);
        if (d.store().setting(syncsettings::deviceId).isEmpty()) {
            if (a.value(QStringLiteral("code")).isEmpty())
                return fail(QStringLiteral("not enrolled: give --code"));
            d.engine().enrol(url, a.value(QStringLiteral("code")));
        }
        const int count = a.value(QStringLiteral("count"), QStringLiteral("0")).toInt();
        const QStringList uuids = d.addInterviews(count, cs, a.value(QStringLiteral("seed"), QStringLiteral("1")).toUInt());
        if (!uuids.isEmpty() && a.contains(QStringLiteral("comment"))) {
            d.store().reopen(uuids.first());
            d.store().setAnswer(uuids.first(), QStringLiteral("comment"), a.value(QStringLiteral("comment")));
            d.store().finalise(uuids.first(), ResponseStatus::Complete);
        }
        const int refused = a.value(QStringLiteral("refused"), QStringLiteral("0")).toInt();
        for (const QString &uuid : d.addInterviews(refused, cs, 100 + count)) {
            d.store().reopen(uuid);
            d.store().setAnswer(uuid, QStringLiteral("consent"), QStringLiteral("not-a-choice"));
            d.store().finalise(uuid, ResponseStatus::Complete);
        }
        const int contacts = a.value(QStringLiteral("contacts"), QStringLiteral("0")).toInt();
        for (int i = 0; i < contacts; ++i) {
            ContactEntry c;
            c.caseStudy = cs;
            c.enumerator = QStringLiteral("enumerator-%1").arg(i % 3);
            c.deviceId = d.store().setting(syncsettings::deviceId);
            c.time = QDateTime::currentDateTimeUtc();
            c.location.latitude = 51.46 + 0.01 * i; // inside the web test's area
            c.location.longitude = -2.55;
            c.location.accuracy = 5;
            c.location.time = c.time;
            c.disposition = i % 2 ? Disposition::ComeBackLater : Disposition::Refused;
            d.store().logContact(c);
        }
        if (!uuids.isEmpty())
            std::printf("first %s\n", qPrintable(uuids.first()));
        SyncReport r = d.engine().syncNow();
        std::printf("synced: %s\n", qPrintable(r.summary()));
        if (r.result != SyncReport::Result::Ok && !(refused > 0 && r.rejected == refused))
            return 1;
        if (a.contains(QStringLiteral("conflict"))) {
            NewResponse nr{voxpopForm().id, voxpopForm().version, cs, QStringLiteral("enumerator-conflict"),
                           d.store().setting(syncsettings::deviceId), QStringLiteral("en"), {}};
            const QString uuid = d.store().createResponse(nr);
            d.store().setAnswer(uuid, QStringLiteral("consent"), QStringLiteral("yes"));
            d.store().setAnswer(uuid, QStringLiteral("comment"), QStringLiteral("first version"));
            const QString backupDir = QDir(dir).filePath(QStringLiteral("restored"));
            QDir().mkpath(backupDir);
            const QString backup = QDir(backupDir).filePath(QStringLiteral("device.db"));
            QFile::remove(backup);
            QFile::remove(backup + QStringLiteral("-wal"));
            if (!QFile::copy(d.storePath(), backup))
                return fail(QStringLiteral("cannot copy the tablet's store"));
            if (QFile::exists(d.storePath() + QStringLiteral("-wal")))
                QFile::copy(d.storePath() + QStringLiteral("-wal"), backup + QStringLiteral("-wal"));
            d.store().finalise(uuid, ResponseStatus::Complete);
            r = d.engine().syncNow();
            {
                auto restored = DeviceStore::open(backup);
                restored->setAnswer(uuid, QStringLiteral("comment"), QStringLiteral("second version"));
                restored->finalise(uuid, ResponseStatus::Complete);
            }
            SyncOptions o = options;
            o.formsDir = d.formsDir();
            SyncEngine restoredEngine(backup, o);
            r = restoredEngine.syncNow();
            std::printf("conflict %s: %s\n", qPrintable(uuid), qPrintable(r.summary()));
        }
        return 0;
    } catch (const std::exception &e) {
        return fail(QString::fromUtf8(e.what()));
    }
}
