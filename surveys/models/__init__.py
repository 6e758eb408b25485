from surveys.models.design import (
    OptionOrder,
    Question,
    QuestionType,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyVersion,
)
from surveys.models.directory import Customer, CustomerTag, Language
from surveys.models.distribution import (
    Distribution,
    DistributionChannel,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    SkipReason,
)
from surveys.models.privacy import (
    AccessChannel,
    ConsentText,
    ContactSuppression,
    PersonalDataAccess,
    PersonalDataAction,
    PrivacySettings,
)
from surveys.models.responses import Answer, Channel, Response, ResponseStatus

__all__ = [
    "AccessChannel",
    "Answer",
    "Channel",
    "ConsentText",
    "ContactSuppression",
    "Customer",
    "CustomerTag",
    "Distribution",
    "DistributionChannel",
    "DistributionStatus",
    "Invitation",
    "InvitationStatus",
    "Language",
    "OptionOrder",
    "PersonalDataAccess",
    "PersonalDataAction",
    "PrivacySettings",
    "Question",
    "QuestionType",
    "Response",
    "ResponseStatus",
    "SkipReason",
    "Survey",
    "SurveyKind",
    "SurveyStatus",
    "SurveyVersion",
]
