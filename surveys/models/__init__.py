from surveys.models.branding import BrandImage, OrganisationBranding, SurveyBranding
from surveys.models.design import (
    OptionOrder,
    Question,
    QuestionType,
    ScaleStyle,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyVersion,
)
from surveys.models.directory import Customer, CustomerTag, Language, Store
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
from surveys.models.results import ResultShare

__all__ = [
    "AccessChannel",
    "Answer",
    "BrandImage",
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
    "OrganisationBranding",
    "PersonalDataAccess",
    "PersonalDataAction",
    "PrivacySettings",
    "Question",
    "QuestionType",
    "Response",
    "ResponseStatus",
    "ResultShare",
    "ScaleStyle",
    "SkipReason",
    "Store",
    "Survey",
    "SurveyBranding",
    "SurveyKind",
    "SurveyStatus",
    "SurveyVersion",
]
