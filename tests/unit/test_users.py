import pytest

from skyriff_domain.errors import InvalidRequest, NotAllowed, NotFound, PermissionDenied
from skyriff_domain.model.catalog import ImageAsset
from tests.support.usecases import following, profiles


def test_follow_is_idempotent_and_counts_match(fakes, make_user):
    a, b = make_user(), make_user()
    f = following(fakes)
    assert f.follow(a, b) and f.follow(a, b)
    p = profiles(fakes).public(b, viewer_id=a)
    assert p.is_following and p.stats.followers_count == 1
    assert profiles(fakes).public(a, viewer_id=None).stats.following_count == 1
    assert f.unfollow(a, b) is False and f.unfollow(a, b) is False
    p = profiles(fakes).public(b, viewer_id=a)
    assert not p.is_following and p.stats.followers_count == 0


def test_following_yourself_is_not_allowed(fakes, make_user):
    a = make_user()
    with pytest.raises(NotAllowed):
        following(fakes).follow(a, a)


def test_following_a_missing_user(fakes, make_user):
    with pytest.raises(NotFound):
        following(fakes).follow(make_user(), 999)


def test_update_profile_changes_only_what_was_given(fakes, make_user):
    uid = make_user("old")
    user = profiles(fakes).update(uid, nickname="  新昵称 ")
    assert user.nickname == "新昵称" and user.bio == ""
    user = profiles(fakes).update(uid, bio="这是我的简介")
    assert user.nickname == "新昵称" and user.bio == "这是我的简介"


@pytest.mark.parametrize("field, value", [("nickname", ""), ("nickname", "x" * 21), ("nickname", "a\nb"),
                                          ("bio", "y" * 201)])
def test_profile_rules_name_the_field(fakes, make_user, field, value):
    with pytest.raises(InvalidRequest) as err:
        profiles(fakes).update(make_user(), **{field: value})
    assert err.value.field == field


def test_avatar_must_be_your_own_upload(fakes, make_user):
    me, other = make_user(), make_user()
    with fakes.uow() as uow:
        mine = uow.assets.add_image(ImageAsset(me, "https://cdn/x.png", 10, 1, 1, fakes.clock.now()))
        theirs = uow.assets.add_image(ImageAsset(other, "https://cdn/y.png", 10, 1, 1, fakes.clock.now()))
        uow.commit()
    assert profiles(fakes).update(me, avatar_asset_id=mine.id).avatar_url == "https://cdn/x.png"
    with pytest.raises(PermissionDenied):
        profiles(fakes).update(me, avatar_asset_id=theirs.id)
    with pytest.raises(NotFound):
        profiles(fakes).update(me, avatar_asset_id=12345)
