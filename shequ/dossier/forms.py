from __future__ import annotations

from django import forms

from shequ.dossier.models import AttachmentKind


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=AttachmentKind.choices,
                             error_messages={"required": "请选择材料类别", "invalid_choice": "材料类别无效"})
    file = forms.FileField(label="文件", error_messages={
        "required": "请选择要上传的文件", "empty": "所选文件是空的，请重新选择", "invalid": "文件无效，请重新选择",
        "missing": "没有收到文件，请重新选择",
    })
    note = forms.CharField(label="说明", max_length=200, required=False,
                           error_messages={"max_length": "说明不能超过 200 个字"})
