"""Projects: a user's folders for generated videos."""
from __future__ import annotations

import attrs

from ..model.media import Project
from ..ports import Clock, UnitOfWorkFactory
from ..text import clean_text
from .lookups import owned

NAME_MAX = 50


@attrs.frozen
class ProjectView:
    project: Project
    video_count: int


def _clean(name: str) -> str:
    return clean_text("name", name, NAME_MAX, min_len=1)


@attrs.define
class Projects:
    uow: UnitOfWorkFactory
    clock: Clock

    def list(self, user_id: int) -> list[ProjectView]:
        with self.uow(read_only=True) as uow:
            counts = uow.videos.count_by_project(user_id)
            return [ProjectView(p, counts.get(p.id, 0)) for p in uow.projects.for_user(user_id)]

    def create(self, user_id: int, name: str) -> Project:
        now = self.clock.now()
        with self.uow() as uow:
            project = uow.projects.add(Project(user_id, _clean(name), now, now))
            uow.commit()
        return project

    def rename(self, user_id: int, project_id: int, name: str) -> Project:
        with self.uow() as uow:
            project = owned(uow.projects.get(project_id), user_id, "项目不存在", "只能修改自己的项目")
            project.name, project.updated_at = _clean(name), self.clock.now()
            uow.projects.save(project)
            uow.commit()
        return project
