// SPDX-License-Identifier: Apache-2.0
#include "themepalette.h"

#include <QtMath>

namespace kerbside {

namespace {
QColor c(const char *hex)
{
    return QColor(QLatin1String(hex));
}

double luminance(const QColor &colour)
{
    auto channel = [](double v) { return v <= 0.04045 ? v / 12.92 : qPow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF());
}
} // namespace

ThemePalette ThemePalette::forTheme(const QString &theme)
{
    ThemePalette p;
    if (theme == QLatin1String("dark")) {
        p = {c("#000000"), c("#000000"), c("#FFFFFF"), c("#FFFFFF"), c("#FFE500"), c("#000000"),
             c("#FFFFFF"), c("#FFE500"), c("#000000"), c("#FFFFFF"), c("#FF8A80"), c("#000000"),
             c("#7CFF7C"), c("#000000"), c("#FFE500"), c("#000000"), c("#A6A6A6")};
    } else if (theme == QLatin1String("light")) {
        p = {c("#FFFFFF"), c("#FFFFFF"), c("#000000"), c("#000000"), c("#00308F"), c("#FFFFFF"),
             c("#000000"), c("#00308F"), c("#FFFFFF"), c("#000000"), c("#A0001C"), c("#FFFFFF"),
             c("#00592A"), c("#FFFFFF"), c("#000000"), c("#FFFFFF"), c("#666666")};
    } else {
        p = {c("#F5F6F8"), c("#FFFFFF"), c("#16181D"), c("#464B55"), c("#1C4FA0"), c("#FFFFFF"),
             c("#6B7280"), c("#1C4FA0"), c("#FFFFFF"), c("#0B2A5E"), c("#B3261E"), c("#FDECEA"),
             c("#1E6B34"), c("#1C4FA0"), c("#FFFFFF"), c("#E3E5E9"), c("#555A64")};
    }
    return p;
}

QVariantMap ThemePalette::toMap() const
{
    return {{QStringLiteral("background"), background},
            {QStringLiteral("surface"), surface},
            {QStringLiteral("text"), text},
            {QStringLiteral("textMuted"), textMuted},
            {QStringLiteral("accent"), accent},
            {QStringLiteral("accentText"), accentText},
            {QStringLiteral("border"), border},
            {QStringLiteral("selected"), selected},
            {QStringLiteral("selectedText"), selectedText},
            {QStringLiteral("selectedBorder"), selectedBorder},
            {QStringLiteral("error"), error},
            {QStringLiteral("errorBackground"), errorBackground},
            {QStringLiteral("good"), good},
            {QStringLiteral("headerBackground"), headerBackground},
            {QStringLiteral("headerText"), headerText},
            {QStringLiteral("disabledBackground"), disabledBackground},
            {QStringLiteral("disabledText"), disabledText}};
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

} // namespace kerbside
