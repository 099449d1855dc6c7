// SPDX-License-Identifier: Apache-2.0
#include "metalabels.h"

#include <cstring>
#include <iterator>

namespace kerbside::metalabels {

namespace {

struct Translation
{
    const char *en;
    const char *pl;
};

// Polish wording as a Polish codebook would put it (no abbreviations, full phrases).
constexpr Translation kTable[] = {
    {"Complete", "Ukończony"},
    {"Refused at consent", "Odmowa przy zgodzie na udział"},
    {"Draft", "Wersja robocza"},
    {"Discarded", "Odrzucony"},
    {"Partial (broken off after consent)", "Częściowy (przerwany po wyrażeniu zgody)"},
    {"Screened out (quota full)", "Wykluczony (kwota wypełniona)"},
    {"Inside the area", "W obszarze badania"},
    {"Outside the area", "Poza obszarem badania"},
    {"Unknown (no fix or no area)", "Nie wiadomo (brak pozycji lub obszaru)"},
};

} // namespace

QHash<QString, QString> everyLanguage(const char *english, const QStringList &languages)
{
    const char *polish = nullptr;
    for (const Translation &t : kTable) {
        if (std::strcmp(t.en, english) == 0)
            polish = t.pl;
    }
    QHash<QString, QString> out;
    for (const QString &l : languages)
        out.insert(l, QString::fromUtf8(l == QLatin1String("pl") && polish ? polish : english));
    return out;
}

} // namespace kerbside::metalabels
