"""实名认证: a user's real-name verification (name + resident ID, checked by the identity provider)."""
from __future__ import annotations

from ..api import Api, Auth, Call
from ..schemas.verification import VerificationBody, VerificationData

api = Api("verification", tag="实名认证")


def _view(view) -> dict:
    if not view.verified:
        return {"verified": False}
    return {"verified": True, "real_name_masked": view.real_name_masked, "id_number_masked": view.id_number_masked,
            "age": view.age, "is_minor": view.is_minor}


@api.route("GET", "/me/verification", summary="实名认证状态", response=VerificationData, auth=Auth.REQUIRED)
def status(call: Call):
    return _view(call.services.verifications().view(call.user_id))


@api.route("POST", "/me/verification", summary="提交实名认证", body=VerificationBody, response=VerificationData,
           auth=Auth.REQUIRED, throttle="money", message="实名认证成功", errors=(1006, 2008, 2010),
           description="姓名与身份证号经核验一致即认证成功（2010 不一致）；认证后不可自行修改；"
                       "同一身份最多认证3个账号；身份证号加密保存，只以掩码显示。")
def verify(call: Call):
    return _view(call.services.verifications().verify(call.user_id, call.body.real_name, call.body.id_number))
