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
    WechatIdentity,
)
from surveys.models.directory import Customer, CustomerTag, Language, Store, StoreSource
from surveys.models.distribution import (
    Distribution,
    DistributionChannel,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    SkipReason,
    SmsDelivery,
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
from surveys.models.results import ResultCode, ResultCube, ResultCubeCell, ResultFact, ResultShare
from surveys.models.uploads import ResponseFile

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
    "ResponseFile",
    "ResponseStatus",
    "ResultCode",
    "ResultCube",
    "ResultCubeCell",
    "ResultFact",
    "ResultShare",
    "ScaleStyle",
    "SkipReason",
    "SmsDelivery",
    "Store",
    "StoreSource",
    "Survey",
    "SurveyBranding",
    "SurveyKind",
    "SurveyStatus",
    "SurveyVersion",
    "WechatIdentity",
]

# In-page surveys keep their models in their own package (app label "surveys").
from surveys.inpage.models import ContactOutcome, InPageContact, InPageSurvey, Trigger

__all__ += ["ContactOutcome", "InPageContact", "InPageSurvey", "Trigger"]

# The builder's question bank and undo snapshots live with the builder (app label "surveys").
from surveys.design.models import BuilderChange, QuestionBankItem, QuestionsSnapshot  # noqa: E402

__all__ += ["BuilderChange", "QuestionBankItem", "QuestionsSnapshot"]
