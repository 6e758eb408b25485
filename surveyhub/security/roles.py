"""The four staff roles and the model permissions each one holds.

Groups are created and their permissions reset after every `migrate`, so the
code is the single source of truth; a model added later only needs a line here.
"""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
REASSIGN = "reassign"  # feedback.reassign_case: give a case to someone else
ALL = (VIEW, ADD, CHANGE, DELETE)
EXPORT, ERASE = "export", "erase"  # surveys.export_customer / erase_customer (PIPL / GDPR)


class Role(StrEnum):
    ADMIN = "管理员 Admin"
    MANAGER = "经理 Manager"
    DESIGNER = "问卷设计 Designer"
    AGENT = "客服 Agent"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _("Admin"),
    Role.MANAGER: _("Manager"),
    Role.DESIGNER: _("Survey designer"),
    Role.AGENT: _("Service agent"),
}

# app_label → model → actions. "*" as the model means every model of the app.
ROLE_PERMISSIONS: dict[Role, dict[str, dict[str, tuple[str, ...]]]] = {
    Role.ADMIN: {
        "auth": {"user": ALL, "group": (VIEW,)},
        "surveys": {"*": ALL, "customer": (*ALL, EXPORT, ERASE)},
        "feedback": {"*": ALL, "case": (*ALL, REASSIGN)},
        "analytics": {"*": ALL},
        # API tokens: see and revoke anyone's (keys are created only by their owner);
        # login lockouts: see and lift.
        "surveyhub": {"*": (VIEW,), "apitoken": (VIEW, DELETE), "loginlockout": (VIEW, DELETE)},
    },
    Role.MANAGER: {
        # Not the audit log of who read personal data: that is the Admin's (PRODUCT.md).
        "surveys": {
            "*": (VIEW,),
            "customer": (VIEW, EXPORT),
            "personaldataaccess": (),
            "contactsuppression": (),
            "privacysettings": (),
        },
        "feedback": {"*": (VIEW,), "case": (VIEW, CHANGE, REASSIGN), "topic": (VIEW, CHANGE)},
        "analytics": {
            "*": (VIEW,),
            "report": (VIEW, ADD),
            # Alerts: managers read them, close them and re-send a failed delivery; rules
            # and robots are the Admin's. Improvement actions are the managers' own.
            "alert": (VIEW, CHANGE),
            "improvementaction": (VIEW, ADD, CHANGE),
        },
    },
    # Designs and distributes surveys. The customer directory is theirs to pick audiences
    # from (PRODUCT.md, the distributor), but not what customers answered: responses and
    # answers carry the same free text and identity as feedback, which designers do not see.
    Role.DESIGNER: {
        "surveys": {
            "survey": ALL,
            "question": ALL,
            "surveyversion": (VIEW,),
            "consenttext": (VIEW,),
            "distribution": (VIEW, ADD, CHANGE),
            "customer": (VIEW,),
            "customertag": (VIEW,),
        },
    },
    Role.AGENT: {
        "surveys": {"customer": (VIEW,), "response": (VIEW,)},
        "feedback": {
            "*": (VIEW,),
            "case": (VIEW, CHANGE),
            "casenote": (VIEW, ADD),
            "casereply": (VIEW, ADD),
            "sentimentcorrection": (VIEW, ADD),
        },
        "analytics": {"purchase": (VIEW,)},
    },
}


def permissions_for(role: Role) -> list[Permission]:
    """Resolve a role's declared (app, model, action) grants to Permission rows that exist."""
    grants = ROLE_PERMISSIONS[role]
    wanted: list[Permission] = []
    perms = Permission.objects.select_related("content_type").filter(
        content_type__app_label__in=grants.keys()
    )
    for perm in perms:
        app_grants = grants[perm.content_type.app_label]
        model = perm.content_type.model
        actions = app_grants.get(model, app_grants.get("*", ()))
        action = perm.codename.split("_", 1)[0]
        if action in actions and perm.codename == f"{action}_{model}":
            wanted.append(perm)
    return wanted


def sync_roles() -> None:
    """Create the role groups and set exactly the declared permissions on each."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(permissions_for(role))


def sync_roles_after_migrate(**kwargs) -> None:
    sync_roles()
