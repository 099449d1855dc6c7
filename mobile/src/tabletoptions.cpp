// SPDX-License-Identifier: Apache-2.0
#include "tabletoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace kerbside {

bool TabletOptions::parse(const QStringList &arguments, TabletOptions *o, QString *error)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        auto value = [&](QString *out) {
            if (i + 1 >= arguments.size()) {
                *error = QStringLiteral("%1 needs a value").arg(a);
                return false;
            }
            *out = arguments[++i];
            return true;
        };
        if (a == QLatin1String("--data")) {
            if (!value(&o->dataDir))
                return false;
        } else if (a == QLatin1String("--forms")) {
            if (!value(&o->formsDir))
                return false;
        } else if (a == QLatin1String("--nmea")) {
            if (!value(&o->nmeaFile))
                return false;
            o->positioning = Positioning::Nmea;
        } else if (a == QLatin1String("--no-gps")) {
            o->positioning = Positioning::None;
        } else if (a == QLatin1String("--case-study")) {
            QString id;
            if (!value(&id))
                return false;
            o->caseStudies << id;
        } else if (a == QLatin1String("--window")) {
            QString size;
            if (!value(&size))
                return false;
            const QStringList wh = size.split(QLatin1Char('x'));
            const int w = wh.size() == 2 ? wh[0].toInt() : 0;
            const int h = wh.size() == 2 ? wh[1].toInt() : 0;
            if (w < 320 || h < 320 || w > 10000 || h > 10000) {
                *error = QStringLiteral("--window needs WIDTHxHEIGHT in pixels, 320 to 10000 each (e.g. 800x1280), not %1").arg(size);
                return false;
            }
            o->windowSize = QSize(w, h);
        } else if (a == QLatin1String("--demo")) {
            o->demo = true;
        } else if (a == QLatin1String("--self-test")) {
            o->selfTest = true;
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            *error = usage();
            return false;
        } else if (!a.startsWith(QLatin1Char('-'))) {
            continue; // Qt's own (-platform ...) are removed by QGuiApplication; stray words are ignored
        } else {
            *error = QStringLiteral("unknown option %1\n%2").arg(a, usage());
            return false;
        }
    }
    return true;
}

QString TabletOptions::usage()
{
    return QStringLiteral(
        "usage: kerbside-tablet [--data DIR] [--forms DIR] [--nmea FILE | --no-gps] [--demo]\n"
        "                       [--case-study ID ...] [--window WxH] [--self-test]\n"
        "  --data DIR        where kerbside.sqlite lives (default: the app data folder)\n"
        "  --forms DIR       the forms to offer (default: the demo forms of this build)\n"
        "  --nmea FILE       replay an NMEA log as the GPS (also KERBSIDE_NMEA)\n"
        "  --no-gps          no position source at all\n"
        "  --demo            add the demo case studies\n"
        "  --case-study ID   add a case study (repeatable)\n"
        "  --window WxH      a window of this size (default: full screen on a tablet,\n"
        "                    a resizable window fitting the screen on a desktop)\n"
        "  --self-test       load every screen offscreen, exit 0 when no QML warning appeared");
}

void TabletOptions::applyDefaults()
{
    if (nmeaFile.isEmpty() && positioning == Positioning::Platform) {
        const QString env = qEnvironmentVariable("KERBSIDE_NMEA");
        if (!env.isEmpty()) {
            nmeaFile = env;
            positioning = Positioning::Nmea;
        }
    }
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (formsDir.isEmpty()) {
#ifdef KERBSIDE_FORMS_DIR
        if (QFileInfo(QStringLiteral(KERBSIDE_FORMS_DIR)).isDir())
            formsDir = QStringLiteral(KERBSIDE_FORMS_DIR);
#endif
        // An Android/iOS package carries the demo forms as resources (mobile/CMakeLists.txt).
        if (formsDir.isEmpty() && QFileInfo(QStringLiteral(":/kerbside/forms")).isDir())
            formsDir = QStringLiteral(":/kerbside/forms");
        if (formsDir.isEmpty())
            formsDir = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("forms"));
    }
}

QString TabletOptions::databasePath() const
{
    return QDir(dataDir).filePath(QStringLiteral("kerbside.sqlite"));
}

} // namespace kerbside
