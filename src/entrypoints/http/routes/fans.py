"""七、作品模块 (paid parts): tips, prompt unlocks and remixes — each takes Idempotency-Key."""
from __future__ import annotations

from ..api import Api, Auth, Call, Reply
from ..schemas.community import PromptData, RemixBody, RemixData, TipBody, TipData, UnlockData

api = Api("fans", tag="作品")


@api.route("POST", "/works/<int:work_id>/tip_and_favorite", summary="打赏并收藏", body=TipBody, response=TipData,
           auth=Auth.REQUIRED, idempotent=True, message="打赏成功", errors=(2001, 2002, 2007),
           description="仅允许 10/20/50/100 积分，不能打赏自己；创作者得 90%（金币，7天后可提现）；同时收藏。")
def tip(call: Call):
    result = call.services.tipping().tip(call.user_id, call.path["work_id"], call.body.amount_credits)
    return {"tipped": True, "favorited": True, "cost_credits": result.cost.minor,
            "creator_coins_pending": result.creator_share.to_decimal(), "already_favorited": result.already_favorited}


@api.route("POST", "/works/<int:work_id>/prompt/unlock", summary="解锁提示词", response=UnlockData,
           auth=Auth.REQUIRED, idempotent=True, message="解锁成功", errors=(2001, 2007),
           description="重复解锁、作者本人、未锁定的提示词均不扣费（message 为 already_unlocked 表示此前已解锁）。")
def unlock(call: Call):
    result = call.services.tipping().unlock_prompt(call.user_id, call.path["work_id"])
    if result.cost:
        return {"prompt_text": result.prompt, "cost_credits": result.cost.minor,
                "creator_coins_pending": result.creator_share.to_decimal()}
    return Reply({"prompt_text": result.prompt, "cost_credits": 0},
                 "already_unlocked" if result.already_unlocked else "success")


@api.route("GET", "/works/<int:work_id>/prompt", summary="查看提示词", response=PromptData, auth=Auth.OPTIONAL,
           errors=(2007,))
def prompt(call: Call):
    locked, text, price = call.services.tipping().prompt(call.viewer_id, call.path["work_id"])
    return {"locked": True, "price_credits": price.minor} if locked else {"locked": False, "prompt_text": text}


@api.route("POST", "/works/<int:work_id>/remix", summary="二次创作", body=RemixBody, response=RemixData,
           auth=Auth.REQUIRED, idempotent=True, throttle="tasks", message="二创任务创建成功",
           errors=(2001, 2002, 2007, 2008, 2009),
           description="原提示词 + prompt_delta 生成新任务；付二创费（自己的作品免费）与生成费；失败全额退款并冲回作者收入。"
                       "prompt_delta 与拼接后的提示词经内容审核，违规以 2009 拒绝且不扣费。")
def remix(call: Call):
    b = call.body
    result = call.services.remixes().remix(call.user_id, call.path["work_id"], b.prompt_delta, b.duration_sec,
                                           b.ratio, b.model, b.project_id)
    return {"task_id": result.task.id, "remix_fee": result.fee.minor, "gen_cost": result.generation_cost.minor,
            "total_cost": result.task.cost.minor,
            "original_creator_coins_pending": result.creator_share.to_decimal()}
