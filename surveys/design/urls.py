"""Builder edits beyond the question form, under surveys/<pk>/ (included by surveys.urls)."""

from django.urls import path

from surveys.design import question_views as views

urlpatterns = [
    path("order/", views.questions_reorder, name="questions-reorder"),
    path("undo/", views.survey_undo, name="survey-undo"),
    path("question-list/", views.questions_fragment, name="questions-fragment"),
    path("bank/insert/", views.bank_insert, name="bank-insert"),  # POST item=<id>
    path("bank/remove/", views.bank_remove, name="bank-remove"),
]
