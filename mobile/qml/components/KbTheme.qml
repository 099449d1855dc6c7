// SPDX-License-Identifier: Apache-2.0
// Sizes, colours and interface text for every screen. Main.qml binds scale, highContrast and
// tr from Preferences; components only read from here.
pragma Singleton
import QtQuick

QtObject {
    property real scale: 1.0
    property bool highContrast: false
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

    readonly property color background: highContrast ? "#000000" : "#F5F6F8"
    readonly property color surface: highContrast ? "#000000" : "#FFFFFF"
    readonly property color text: highContrast ? "#FFFFFF" : "#16181D"
    readonly property color textMuted: highContrast ? "#FFFFFF" : "#464B55"
    readonly property color accent: highContrast ? "#FFE500" : "#1C4FA0"
    readonly property color accentText: highContrast ? "#000000" : "#FFFFFF"
    readonly property color border: highContrast ? "#FFFFFF" : "#B8BDC7"
    readonly property color selected: highContrast ? "#FFE500" : "#DCE7FA"
    readonly property color selectedText: highContrast ? "#000000" : "#0B2A5E"
    readonly property color error: highContrast ? "#FF8A80" : "#B3261E"
    readonly property color errorBackground: highContrast ? "#000000" : "#FDECEA"
    readonly property color good: highContrast ? "#7CFF7C" : "#1E6B34"
    readonly property int borderWidth: highContrast ? 3 : 1
}
