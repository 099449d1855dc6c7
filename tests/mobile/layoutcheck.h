// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a fieldworker would call a broken screen, found by walking the real item tree:
// a word split across lines (or cut off by an ellipsis), controls outside the window, buttons
// smaller than a fingertip.

#include "uiharness.h"

#include <QFont>
#include <QFontMetricsF>
#include <QQuickItem>
#include <QRegularExpression>
#include <QTextDocument>
#include <QStringList>

namespace kerbside::test {

inline QString describeItem(QQuickItem *item)
{
    return QStringLiteral("%1 '%2'").arg(QLatin1String(item->metaObject()->className()), item->objectName());
}

// A Text item (Label, a button's text) whose words do not all fit whole in its width: with
// Text.Wrap Qt breaks such a word mid-way ("Strongl/y"), with WordWrap it runs past the edge,
// elided it shows "Strongl…". Each word's advance at the item's own font is compared with the
// width the text has; a word that fits is never broken by word wrapping.
inline void checkWords(QQuickItem *item, QStringList *problems)
{
    const QString text = item->property("text").toString();
    if (text.trimmed().isEmpty() || item->width() <= 0 || Qt::mightBeRichText(text))
        return;
    if (item->property("truncated").toBool()) {
        *problems << QStringLiteral("%1 \"%2\" is cut off (elided or past its line limit)").arg(describeItem(item), text);
        return;
    }
    const QFontMetricsF metrics(item->property("font").value<QFont>());
    const double room = item->width() - item->property("leftPadding").toDouble()
                        - item->property("rightPadding").toDouble() + 0.5;
    if (item->property("wrapMode").toInt() == 0 && item->implicitWidth() > item->width() + 1) {
        *problems << QStringLiteral("%1 \"%2\" (one line, %3 px) runs past its %4 px")
                         .arg(describeItem(item), text).arg(item->implicitWidth(), 0, 'f', 0).arg(item->width(), 0, 'f', 0);
        return;
    }
    // Qt breaks at spaces and at zero-width spaces (KbTheme.breakable() puts those in paths).
    static const QRegularExpression space(QStringLiteral("[\\s\\x{200B}]+"));
    for (const QString &word : text.split(space, Qt::SkipEmptyParts)) {
        const double w = metrics.horizontalAdvance(word);
        if (w > room) {
            *problems << QStringLiteral("%1: the word \"%2\" (%3 px) does not fit in %4 px")
                             .arg(describeItem(item), word).arg(w, 0, 'f', 0).arg(room, 0, 'f', 0);
            return;
        }
    }
}

// Walks every visible item below `item`; `clip` and `window` are scene rectangles.
inline void checkLayout(QQuickItem *item, const QRectF &clip, const QRectF &window, QStringList *problems)
{
    if (!item->isVisible() || item->opacity() <= 0.01)
        return;
    const QRectF rect = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    const QRectF shown = rect.intersected(clip);
    if (item->inherits("QQuickControl") && !item->inherits("QQuickScrollBar") && shown.isValid()
        && !window.adjusted(-1, -1, 1, 1).contains(shown))
        *problems << QStringLiteral("%1 at %2,%3 %4x%5 falls outside the window")
                         .arg(describeItem(item)).arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height());
    if (item->inherits("QQuickAbstractButton") && item->isEnabled() && shown.isValid()
        && (item->height() < 47.5 || item->width() < 47.5))
        *problems << QStringLiteral("%1 is only %2x%3 px").arg(describeItem(item)).arg(item->width()).arg(item->height());
    if (item->inherits("QQuickText"))
        checkWords(item, problems);
    const QRectF childClip = item->clip() ? clip.intersected(rect) : clip;
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *c : children)
        checkLayout(c, childClip, window, problems);
}

// Every problem on the window as it is now shown (after its layouts have settled).
inline QStringList layoutProblems(UiHarness &ui)
{
    QQuickTest::qWaitForPolish(ui.window(), 2000);
    settle(2);
    QStringList problems;
    const QRectF window(QPointF(0, 0), QSizeF(ui.window()->size()));
    checkLayout(ui.rootItem(), window, window, &problems);
    return problems;
}

} // namespace kerbside::test
