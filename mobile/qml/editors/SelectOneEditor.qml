// SPDX-License-Identifier: Apache-2.0
// One choice: a list of big radio rows; `likert` draws a horizontal scale of equal buttons,
// `minimal` a compact grid (never a drop-down: one tap, no scrolling list in the rain).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

GridLayout {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    property string appearance
    signal answered(string value)

    readonly property bool likert: appearance === "likert"
    readonly property bool compactGrid: appearance === "minimal"
    columns: likert ? Math.max(1, choices.length) : compactGrid ? (width > 600 ? 3 : 2) : 1
    columnSpacing: 8
    rowSpacing: 8

    Repeater {
        model: editor.choices
        delegate: KbChoiceButton {
            required property var modelData
            objectName: "choice_" + editor.questionName + "_" + modelData.name
            Layout.fillWidth: true
            Layout.fillHeight: editor.likert
            Layout.preferredWidth: 10 // equal columns for the scale
            compact: editor.likert
            enabled: !editor.readOnly
            text: modelData.label
            checked: editor.value === modelData.name
            // A second tap on the chosen answer clears it, so a slip can be undone.
            onClicked: editor.answered(checked ? "" : modelData.name)
        }
    }
}
