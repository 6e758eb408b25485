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
from surveys.models.responses import Answer, Channel, Response, ResponseStatus

__all__ = [
    "Answer",
    "Channel",
    "Customer",
    "CustomerTag",
    "Distribution",
    "DistributionChannel",
    "DistributionStatus",
    "Invitation",
    "InvitationStatus",
    "Language",
    "OptionOrder",
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
