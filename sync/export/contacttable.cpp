// SPDX-License-Identifier: Apache-2.0
#include "contacttable.h"

#include "isotime.h"

#include <QLocale>

#include <cmath>

namespace kerbside {

namespace {

enum Col { kUuid, kCaseStudy, kEnumerator, kDevice, kTime, kLatitude, kLongitude, kAccuracy,
           kDisposition, kAgeBand, kGender }; // no free-text note: the tablet has no field for one

constexpr Disposition kDispositions[] = {Disposition::Refused, Disposition::NotResident, Disposition::Ineligible,
                                         Disposition::LanguageBarrier, Disposition::ComeBackLater, Disposition::Other};
const char *const kDispositionLabels[] = {"Refused", "Not a resident", "Ineligible", "Language barrier",
                                          "Come back later", "Other"};

ExportColumn column(const QString &name, ColumnKind kind, const QString &label, const QString &note = {})
{
    ExportColumn c;
    c.name = name;
    c.kind = kind;
    c.label = label;
    c.note = note;
    c.questionType = QStringLiteral("contact log");
    return c;
}

} // namespace

ContactTable::ContactTable(const ExportOptions &options) : m_options(options), m_grid(options.coarsenMetres)
{
    m_table.stem = QStringLiteral("contacts");
    m_table.title = QStringLiteral("Contact log: approaches that did not become interviews");
    QList<ExportColumn> &c = m_table.columns;
    c.append(column(QStringLiteral("uuid"), ColumnKind::Text, QStringLiteral("Contact UUID")));
    c.append(column(QStringLiteral("case_study"), ColumnKind::Text, QStringLiteral("Case study")));
    c.append(column(QStringLiteral("enumerator"), ColumnKind::Text, QStringLiteral("Enumerator (fieldworker)")));
    c.append(column(QStringLiteral("device"), ColumnKind::Text, QStringLiteral("Device id")));
    c.append(column(QStringLiteral("time"), ColumnKind::DateTime, QStringLiteral("Time of the approach (UTC)")));
    const QString note = m_grid.active()
        ? QStringLiteral("coarsened: rounded to the centre of a %1 m grid cell").arg(m_grid.metres())
        : QStringLiteral("precise position: personal data; use --coarsen-location to round it");
    c.append(column(QStringLiteral("latitude"), ColumnKind::Number, QStringLiteral("Latitude (WGS84)"), note));
    c.append(column(QStringLiteral("longitude"), ColumnKind::Number, QStringLiteral("Longitude (WGS84)"), note));
    c.append(column(QStringLiteral("accuracy"), ColumnKind::Number, QStringLiteral("Location accuracy (metres)")));
    c[kLatitude].decimals = c[kLongitude].decimals = 6;
    c[kAccuracy].decimals = 1;
    ExportColumn d = column(QStringLiteral("disposition"), ColumnKind::Code, QStringLiteral("Outcome of the approach"));
    for (int i = 0; i < 6; ++i) {
        const QString name = dispositionName(kDispositions[i]);
        d.valueLabels.append({i + 1, name, QString::fromLatin1(kDispositionLabels[i]), {}, 0});
        d.codes.insert(name, i + 1);
    }
    c.append(d);
    // The tablet offers the form's own age_band and gender choices (observedchoices.h), so these
    // codes are the questionnaire's and line up with quota cells.
    c.append(column(QStringLiteral("age_band"), ColumnKind::Text, QStringLiteral("Observed age band"),
                    QStringLiteral("noted by the fieldworker, a choice name of the form's age_band list; "
                                   "empty when not noted")));
    c.append(column(QStringLiteral("gender"), ColumnKind::Text, QStringLiteral("Observed gender"),
                    QStringLiteral("noted by the fieldworker, a choice name of the form's gender list; "
                                   "empty when not noted")));
    m_row.resize(c.size());
}

const ExportRow &ContactTable::row(const ContactEntry &e)
{
    for (ExportCell &cell : m_row)
        cell.clear();
    m_row[kUuid].set(e.uuid);
    m_row[kCaseStudy].set(e.caseStudy);
    m_row[kEnumerator].set(e.enumerator);
    m_row[kDevice].set(e.deviceId);
    if (e.time.isValid())
        m_row[kTime].set(isotime::utcSeconds(e.time.toMSecsSinceEpoch()), double(e.time.toMSecsSinceEpoch()));
    if (e.location.isValid()) {
        double lat = e.location.latitude, lon = e.location.longitude, acc = e.location.accuracy;
        m_grid.apply(&lat, &lon, &acc);
        m_row[kLatitude].set(LocationGrid::formatCoordinate(lat), std::round(lat * 1e6) / 1e6);
        m_row[kLongitude].set(LocationGrid::formatCoordinate(lon), std::round(lon * 1e6) / 1e6);
        if (!std::isnan(acc))
            m_row[kAccuracy].set(QByteArray::number(acc, 'g', QLocale::FloatingPointShortest), acc);
    }
    const QString d = dispositionName(e.disposition);
    m_row[kDisposition].set(d, m_table.columns[kDisposition].codes.value(d, 0));
    if (!e.ageBand.isEmpty())
        m_row[kAgeBand].set(e.ageBand);
    if (!e.gender.isEmpty())
        m_row[kGender].set(e.gender);
    return m_row;
}

} // namespace kerbside
