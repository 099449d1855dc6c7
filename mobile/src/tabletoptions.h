// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace kerbside {

/** How kerbside-tablet was asked to run (command line, environment). */
struct TabletOptions
{
    enum class Positioning { Platform, Nmea, None };

    QString dataDir;  // holds kerbside.sqlite; default QStandardPaths::AppDataLocation
    QString formsDir; // default: the checkout's forms/ when built from source, else beside the binary
    QString nmeaFile; // --nmea or KERBSIDE_NMEA: replay this log instead of the platform source
    Positioning positioning = Positioning::Platform;
    QStringList caseStudies; // --case-study ID (repeatable)
    bool demo = false;       // --demo: add the demo case studies
    bool selfTest = false;   // --self-test: load every screen offscreen and exit
    QSize windowSize;        // --window WxH: a window of exactly this size (tests, screenshots)

    // Parses arguments (argv[0] first). On a bad argument returns false with `error` set.
    static bool parse(const QStringList &arguments, TabletOptions *options, QString *error);
    static QString usage();
    // Fills the defaults left empty (data and forms folders, KERBSIDE_NMEA).
    void applyDefaults();
    QString databasePath() const; // dataDir/kerbside.sqlite
};

} // namespace kerbside
