// SPDX-License-Identifier: Apache-2.0
// Sunlight: the contrast ratios of every theme (WCAG 2.1: 4.5:1 text, 3:1 non-text such as
// borders and the selected fill), computed from the same ThemePalette the screens draw with.
#include "uiharness.h"

#include "themepalette.h"

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

void requireRatio(const char *what, const QColor &a, const QColor &b, double atLeast)
{
    const double ratio = contrastRatio(a, b);
    INFO(what << ": " << a.name().toStdString() << " on " << b.name().toStdString() << " is " << ratio
              << ":1, needs " << atLeast << ":1");
    CHECK(ratio >= atLeast);
}

} // namespace

TEST_CASE("The contrast formula matches WCAG's reference values", "[ui][theme]")
{
    CHECK(contrastRatio(Qt::black, Qt::white) == Approx(21.0));
    CHECK(contrastRatio(Qt::white, Qt::white) == Approx(1.0));
    CHECK(contrastRatio(QColor("#767676"), Qt::white) == Approx(4.54).margin(0.01));
}

TEST_CASE("Every theme's colours meet sunlight contrast", "[ui][theme]")
{
    for (const QString &theme : ThemePalette::themes()) {
        DYNAMIC_SECTION(theme.toStdString())
        {
            const ThemePalette p = ThemePalette::forTheme(theme);
            const double text = theme == QLatin1String("normal") ? 4.5 : 7.0; // high contrast: AAA
            requireRatio("text on background", p.text, p.background, text);
            requireRatio("text on surface", p.text, p.surface, text);
            requireRatio("muted text on background", p.textMuted, p.background, 4.5);
            requireRatio("muted text on surface", p.textMuted, p.surface, 4.5);
            requireRatio("unselected border on background", p.border, p.background, 3.0);
            requireRatio("unselected border on surface", p.border, p.surface, 3.0);
            requireRatio("selected fill against an unselected choice", p.selected, p.surface, 3.0);
            requireRatio("selected fill on background", p.selected, p.background, 3.0);
            requireRatio("text and tick on the selected fill", p.selectedText, p.selected, 4.5);
            requireRatio("ring around the selected choice on background", p.selectedBorder, p.background, 3.0);
            requireRatio("accent (primary buttons, progress fill) on background", p.accent, p.background, 3.0);
            requireRatio("accent against the progress track", p.accent, p.surface, 3.0);
            requireRatio("text on the accent", p.accentText, p.accent, 4.5);
            requireRatio("error text on background", p.error, p.background, 4.5);
            requireRatio("error text on its box", p.error, p.errorBackground, 4.5);
            requireRatio("success text on background", p.good, p.background, 4.5);
            requireRatio("header text on header", p.headerText, p.headerBackground, 4.5);
            requireRatio("disabled text on its background", p.disabledText, p.disabledBackground, 3.0);
            // Disabled must look different from enabled, not only be readable.
            CHECK(p.disabledText != p.text);
            CHECK(p.selected != p.surface);
        }
    }
    // Black on white really is black on white (the sunlight theme); white on black stays.
    CHECK(ThemePalette::forTheme("light").background == QColor(Qt::white));
    CHECK(ThemePalette::forTheme("light").text == QColor(Qt::black));
    CHECK(ThemePalette::forTheme("dark").background == QColor(Qt::black));
    CHECK(ThemePalette::forTheme("dark").text == QColor(Qt::white));
}

TEST_CASE("Settings switches between the three themes and the screens draw with them", "[ui][theme]")
{
    UiHarness ui;
    ui.completeFirstRun();
    ui.click("nav_settings");
    for (const auto &[button, theme] : {std::pair{"contrastLight", "light"}, std::pair{"contrastHigh", "dark"},
                                        std::pair{"contrastNormal", "normal"}}) {
        ui.click(button);
        CHECK(ui.app().prefs()->theme() == QLatin1String(theme));
        CHECK(ui.app().prefs()->highContrast() == (QLatin1String(theme) != QLatin1String("normal")));
        CHECK(ui.window()->color() == ThemePalette::forTheme(theme).background);
        CHECK(ui.require(button)->property("checked").toBool());
    }
    // Kept across restarts.
    ui.click("contrastLight");
    Preferences again(ui.app().store());
    CHECK(again.theme() == QLatin1String("light"));
}
