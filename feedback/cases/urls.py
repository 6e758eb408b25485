from django.urls import path

from feedback.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk-assign/", views.bulk_assign, name="bulk-assign"),
    path("metrics/", views.metrics, name="metrics"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/wait/", views.wait, name="wait"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/call/", views.call, name="call"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
