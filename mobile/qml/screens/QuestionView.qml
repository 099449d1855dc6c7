// SPDX-License-Identifier: Apache-2.0
// One question: label, hint, the editor for its type, the core's message under it.
// Editors are generic by type (mobile/qml/editors); there is never QML per form.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: view
    required property InterviewController controller
    required property PositionService position
    required property string name
    required property string type
    required property string label
    required property string hint
    required property string value
    required property string message
    required property bool relevant
    required property bool mandatory
    required property bool readOnly
    required property string appearance
    required property var choices
    required property real accuracy

    objectName: "question_" + name
    visible: relevant
    spacing: 8

    function answer(v) { controller.setAnswer(name, v) }

    KbLabel {
        objectName: "label_" + view.name
        text: view.label + (view.mandatory ? " *" : "")
        font.pixelSize: view.type === "note" ? KbTheme.fontBody : KbTheme.fontLarge
        font.bold: view.type !== "note"
    }
    KbLabel {
        visible: view.hint !== ""
        text: view.hint
        muted: true
        font.italic: true
    }
    KbLabel {
        objectName: "readOnlyNote_" + view.name
        visible: view.readOnly && view.type !== "note"
        text: KbTheme.tr.read_only_answer
        muted: true
        font.pixelSize: KbTheme.fontSmall
    }
    Loader {
        id: loader
        Layout.fillWidth: true
        active: view.relevant
        sourceComponent: {
            switch (view.type) {
            case "text": return textEditor
            case "integer":
            case "decimal": return numberEditor
            case "select_one": return selectOneEditor
            case "select_multiple": return selectMultipleEditor
            case "rank": return rankEditor
            case "date": return dateEditor
            case "time": return timeEditor
            case "datetime": return dateTimeEditor
            case "geopoint": return geopointEditor
            case "geotrace":
            case "geoshape": return geoPointsEditor
            case "consent": return consentEditor
            default: return noteEditor
            }
        }
    }
    Rectangle {
        Layout.fillWidth: true
        visible: view.message !== ""
        implicitHeight: messageLabel.implicitHeight + 16
        radius: 6
        color: KbTheme.errorBackground
        border.color: KbTheme.error
        border.width: 2
        KbLabel {
            id: messageLabel
            objectName: "message_" + view.name
            anchors.fill: parent
            anchors.margins: 8
            text: "⚠ " + view.message
            color: KbTheme.error
            font.bold: true
        }
    }

    Component { id: noteEditor; NoteEditor {} }
    Component {
        id: textEditor
        TextEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            multiline: view.appearance === "multiline"
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: numberEditor
        NumberEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            decimal: view.type === "decimal"
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: selectOneEditor
        SelectOneEditor {
            questionName: view.name
            value: view.value
            choices: view.choices
            readOnly: view.readOnly
            appearance: view.appearance
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: selectMultipleEditor
        SelectMultipleEditor {
            questionName: view.name
            value: view.value
            choices: view.choices
            readOnly: view.readOnly
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: dateEditor
        DateEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: timeEditor
        TimeEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: dateTimeEditor
        DateTimeEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: geopointEditor
        GeopointEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            accuracy: view.accuracy
            position: view.position
            optional: !view.mandatory
            onAnswered: v => view.answer(v)
            onSkipped: view.controller.next()
        }
    }
    Component {
        id: geoPointsEditor
        GeoPointsEditor {
            questionName: view.name
            value: view.value
            readOnly: view.readOnly
            shape: view.type === "geoshape"
            position: view.position
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: rankEditor
        RankEditor {
            questionName: view.name
            value: view.value
            choices: view.choices
            readOnly: view.readOnly
            onAnswered: v => view.answer(v)
        }
    }
    Component {
        id: consentEditor
        ConsentEditor {
            questionName: view.name
            value: view.value
            choices: view.choices
            onAnswered: v => view.answer(v)
        }
    }
}
