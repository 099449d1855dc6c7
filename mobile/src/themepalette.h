// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace kerbside {

/** The colours of the three themes: "normal", "dark" (high contrast, white on black) and
 *  "light" (high contrast, black on white: readable in direct sunlight). KbTheme.qml reads them
 *  through Preferences::palette, and the contrast test computes its ratios from the same table,
 *  so what is checked is exactly what is drawn. */
struct ThemePalette
{
    QColor background;       // behind everything
    QColor surface;          // an unselected choice, a field, a card
    QColor text;
    QColor textMuted;        // captions and hints
    QColor accent;           // primary buttons, headings, the progress bar's fill
    QColor accentText;       // text on the accent
    QColor border;           // outlines of choices, fields, cards, the progress track
    QColor selected;         // a chosen answer's solid fill
    QColor selectedText;     // text and tick on the selected fill
    QColor selectedBorder;   // the ring around a chosen answer/questionnaire
    QColor error;
    QColor errorBackground;
    QColor good;
    QColor headerBackground; // the tool bar and the interview header
    QColor headerText;
    QColor disabledBackground;
    QColor disabledText;     // a disabled button's text and outline (differs from `text`)

    static QStringList themes() { return {QStringLiteral("normal"), QStringLiteral("dark"), QStringLiteral("light")}; }
    static ThemePalette forTheme(const QString &theme); // unknown names give "normal"
    QVariantMap toMap() const;                          // {name: QColor}, for QML
};

// WCAG 2.1 contrast ratio of two opaque colours, 1..21.
double contrastRatio(const QColor &a, const QColor &b);

} // namespace kerbside
