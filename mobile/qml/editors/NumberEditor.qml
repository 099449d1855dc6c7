// SPDX-License-Identifier: Apache-2.0
// Whole or decimal numbers with the numeric keypad. What was typed is kept as typed; the core
// checks it once the typing pauses and says in plain words when it is not a number or out of range.
// The box has one width for its text size (never its content's), so it does not change on resume.
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

Item {
    id: editor
    property string questionName
    property string value
    property bool decimal: false
    property bool readOnly: false
    signal answered(string value)

    implicitHeight: field.implicitHeight
    implicitWidth: field.width

    KbTextField {
        id: field
        objectName: "input_" + editor.questionName
        width: Math.min(editor.width, KbTheme.fontLarge * 12)
        text: editor.value
        readOnly: editor.readOnly
        inputMethodHints: editor.decimal ? Qt.ImhFormattedNumbersOnly : Qt.ImhDigitsOnly
        horizontalAlignment: TextInput.AlignLeft
        font.pixelSize: KbTheme.fontLarge
        onTextEdited: editor.answered(text)
    }
}
