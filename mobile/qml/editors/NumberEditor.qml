// SPDX-License-Identifier: Apache-2.0
// Whole or decimal numbers with the numeric keypad. What was typed is kept as typed; the core
// says in plain words when it is not a number or out of range.
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

KbTextField {
    id: field
    property string questionName
    property string value
    property bool decimal: false
    signal answered(string value)

    objectName: "input_" + questionName
    width: Math.min(parent ? parent.width : 400, 400)
    text: value
    inputMethodHints: decimal ? Qt.ImhFormattedNumbersOnly : Qt.ImhDigitsOnly
    horizontalAlignment: TextInput.AlignLeft
    font.pixelSize: KbTheme.fontLarge
    onTextEdited: answered(text)
}
