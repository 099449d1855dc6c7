// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: ${name} references in labels and ambiguous ones (a name in two groups).
#include "xlsformconverter.h"

#include "xlsformcell.h"

#include "form/formreader.h"

namespace kerbside {

namespace {

using xlsformcell::referencePattern;

} // namespace

void XlsFormConverter::checkLabelReferences()
{
    // The core checks references in expressions; labels and hints are text to it, so check
    // their ${name} here. A reference to a group or to a skipped metadata row is fine.
    for (int row : dataRows(*m_survey, m_surveyColumns)) {
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns()) {
            if (!c.known
                || (c.key != u"label" && c.key != u"hint" && c.key != u"constraint_message"
                    && c.key != u"required_message"))
                continue;
            auto it = referencePattern().globalMatch(m_survey->cell(row, c.index));
            while (it.hasNext()) {
                const QString ref = it.next().captured(1);
                if (m_nameRows.contains(ref))
                    continue;
                QStringList names = m_nameRows.keys();
                names.sort();
                const QString guess = FormReader::closest(ref, names);
                problem(m_survey, row, c.heading,
                        QStringLiteral("refers to unknown field ${%1}%2")
                            .arg(ref,
                                 guess.isEmpty() ? QString()
                                                 : QStringLiteral("; did you mean ${%1}?").arg(guess)),
                        false);
            }
        }
    }
}

void XlsFormConverter::checkAmbiguousReferences()
{
    // The same name in two groups is fine until a ${name} has to pick one.
    for (int row : dataRows(*m_survey, m_surveyColumns)) {
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns()) {
            auto it = referencePattern().globalMatch(m_survey->cell(row, c.index));
            while (it.hasNext()) {
                const QString ref = it.next().captured(1);
                const QList<int> rows = m_allNameRows.value(ref);
                if (rows.size() < 2)
                    continue;
                QStringList places;
                for (int r : rows)
                    places << QStringLiteral("row %1").arg(r);
                problem(m_survey, row, c.heading,
                        QStringLiteral("${%1} is ambiguous: '%1' is the name on %2; rename one of them")
                            .arg(ref, places.join(QStringLiteral(" and "))),
                        false);
            }
        }
    }
}

} // namespace kerbside
