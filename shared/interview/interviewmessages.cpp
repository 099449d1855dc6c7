// SPDX-License-Identifier: Apache-2.0
#include "interviewmessages.h"

#include <cstring>

namespace kerbside {

namespace {
struct Message
{
    const char *key;
    const char *en;
    const char *pl;
};

// Read aloud in the street: short, plain, no jargon.
constexpr Message kMessages[] = {
    {"required", "This question needs an answer.", "To pytanie wymaga odpowiedzi."},
    {"constraint", "This answer is not allowed. Please check it.",
     "Ta odpowiedź jest niedozwolona. Proszę ją sprawdzić."},
    {"type.integer", "Please enter a whole number.", "Proszę wpisać liczbę całkowitą."},
    {"type.decimal", "Please enter a number.", "Proszę wpisać liczbę."},
    {"type.date", "Please enter a date.", "Proszę podać datę."},
    {"type.time", "Please enter a time.", "Proszę podać godzinę."},
    {"type.datetime", "Please enter a date and time.", "Proszę podać datę i godzinę."},
    {"type.geopoint", "The location is not valid. Please capture it again.",
     "Lokalizacja jest nieprawidłowa. Proszę ją pobrać ponownie."},
    {"type.choice", "Please choose from the list.", "Proszę wybrać z listy."},
    {"type.rank", "Please put every choice in order.", "Proszę ustawić wszystkie odpowiedzi w kolejności."},
    {"type.geotrace", "The line needs at least 2 valid points. Please record them again.",
     "Linia wymaga co najmniej 2 prawidłowych punktów. Proszę je zapisać ponownie."},
    {"type.geoshape", "The shape needs at least 3 corners and must end where it starts. Please record it again.",
     "Kształt wymaga co najmniej 3 wierzchołków i musi kończyć się tam, gdzie się zaczyna. Proszę go zapisać ponownie."},
    {"accuracy", "The location is not accurate enough yet (needs %1 m or better). Please wait for a better fix.",
     "Lokalizacja nie jest jeszcze wystarczająco dokładna (wymagane %1 m lub lepiej). Proszę poczekać."},
};
} // namespace

QString interviewMessage(const char *key, const QString &language)
{
    for (const Message &m : kMessages) {
        if (std::strcmp(m.key, key) == 0) {
            const bool polish = language.startsWith(QLatin1String("pl"));
            return QString::fromUtf8(polish ? m.pl : m.en);
        }
    }
    return QString::fromLatin1(key);
}

} // namespace kerbside
