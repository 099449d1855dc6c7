// SPDX-License-Identifier: Apache-2.0
// Free text. Every edit is saved at once (a kill mid-word loses nothing).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Item {
    id: editor
    property string questionName
    property string value
    property bool readOnly: false
    property bool multiline: false
    signal answered(string value)

    implicitHeight: multiline ? area.implicitHeight : field.implicitHeight

    KbTextField {
        id: field
        objectName: "input_" + editor.questionName
        visible: !editor.multiline
        width: parent.width
        text: editor.value
        readOnly: editor.readOnly
        onTextEdited: editor.answered(text)
    }
    TextArea {
        id: area
        objectName: "input_" + editor.questionName + "_multiline"
        visible: editor.multiline
        width: parent.width
        implicitHeight: Math.max(KbTheme.touchMin * 2.5, contentHeight + topPadding + bottomPadding)
        text: editor.value
        readOnly: editor.readOnly
        wrapMode: TextEdit.Wrap
        font.pixelSize: KbTheme.fontBody
        color: KbTheme.text
        leftPadding: 14
        rightPadding: 14
        background: Rectangle {
            radius: 6
            color: KbTheme.surface
            border.width: area.activeFocus ? 3 : Math.max(2, KbTheme.borderWidth)
            border.color: area.activeFocus ? KbTheme.accent : KbTheme.border
        }
        // TextArea has no textEdited: only text the fieldworker typed (it has focus) is an answer.
        onTextChanged: if (activeFocus && text !== editor.value) editor.answered(text)
    }
}
