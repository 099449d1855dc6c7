// SPDX-License-Identifier: Apache-2.0
// Sizes, colours and interface text for every screen. Main.qml binds scale, theme, colours
// (Preferences::palette, from ThemePalette in C++) and tr; components only read from here.
pragma Singleton
import QtQuick

QtObject {
    id: theme
    property real scale: 1.0
    property string name: "normal" // "normal", "dark" or "light" (both high contrast)
    readonly property bool highContrast: name !== "normal"
    property var colours: ({})
    property var tr: ({})
    property string language: "en"

    // Text in px (the app is tablet-first; Qt scales px by the device pixel ratio).
    readonly property int fontSmall: Math.round(16 * scale)
    readonly property int fontBody: Math.round(20 * scale)
    readonly property int fontLarge: Math.round(24 * scale)
    readonly property int fontTitle: Math.round(28 * scale)
    readonly property int fontHuge: Math.round(40 * scale)

    // Touch targets: at least 48 dp everywhere, primary buttons about 64 px, growing with text.
    readonly property int touchMin: Math.max(56, Math.round(fontBody * 2.4))
    readonly property int buttonHeight: Math.max(64, Math.round(fontBody * 2.8))
    readonly property int spacing: 12
    readonly property int margin: 20
    readonly property int maxContentWidth: 1100

    // Until Main.qml's binding arrives the map is empty: black on white, never undefined.
    function pick(key, fallback) { return colours[key] !== undefined ? colours[key] : fallback }
    readonly property color background: pick("background", "#FFFFFF")
    readonly property color surface: pick("surface", "#FFFFFF")
    readonly property color text: pick("text", "#000000")
    readonly property color textMuted: pick("textMuted", "#000000")
    readonly property color accent: pick("accent", "#000000")
    readonly property color accentText: pick("accentText", "#FFFFFF")
    readonly property color border: pick("border", "#000000")
    readonly property color selected: pick("selected", "#000000")
    readonly property color selectedText: pick("selectedText", "#FFFFFF")
    readonly property color selectedBorder: pick("selectedBorder", "#000000")
    readonly property color error: pick("error", "#000000")
    readonly property color errorBackground: pick("errorBackground", "#FFFFFF")
    readonly property color good: pick("good", "#000000")
    readonly property color headerBackground: pick("headerBackground", "#FFFFFF")
    readonly property color headerText: pick("headerText", "#000000")
    readonly property color disabledBackground: pick("disabledBackground", "#FFFFFF")
    readonly property color disabledText: pick("disabledText", "#666666")
    readonly property int borderWidth: highContrast ? 3 : 2

    // A file path is one long "word": let it wrap after / - _ . (zero-width spaces) rather
    // than run off the screen or break at random.
    function breakable(s) { return String(s).replace(/([\/\\_.-])/g, "$1\u200B") }
}
